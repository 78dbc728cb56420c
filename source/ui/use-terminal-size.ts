import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** Columns and rows of the stream Ink draws on, updated on resize (Ink 6 has no useWindowSize). */
export function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
		// The stream never changes for the life of the app.
	}, [stdout]);
	return size;
}
