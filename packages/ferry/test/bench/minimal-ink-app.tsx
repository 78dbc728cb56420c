// The floor for ferry's first frame: the smallest Ink app that draws a menu line, bundled the way ferry is.
import module from 'node:module';

module.enableCompileCache?.();
const {render, Text} = await import('ink');
render(<Text>❯ Start a procedure</Text>, {interactive: true});
