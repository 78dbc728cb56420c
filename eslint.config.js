import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

const httpPipelineMessage = 'Send requests through the HTTP pipeline (packages/ferry/source/clouds/http-pipeline.ts), which signs, times out, proxies, logs, classifies and retries them.';

export default tseslint.config(
	{ignores: ['**/distribution/**', '**/node_modules/**', 'media/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-console': 'off',
			eqeqeq: ['error', 'always', {null: 'ignore'}],
			'prefer-const': 'error',
		},
	},
	// The formatter: `npm run format` applies these, `npm run lint` (in `npm test`) holds every file to them.
	{
		plugins: {'@stylistic': stylistic},
		rules: {
			'@stylistic/indent': ['error', 'tab', {SwitchCase: 1}],
			'@stylistic/quotes': ['error', 'single', {avoidEscape: true, allowTemplateLiterals: 'always'}],
			'@stylistic/semi': ['error', 'always'],
			// `<T,>` in a .tsx file is how a generic arrow function is told apart from JSX: its comma stays.
			'@stylistic/comma-dangle': ['error', {arrays: 'always-multiline', objects: 'always-multiline', imports: 'always-multiline', exports: 'always-multiline', functions: 'always-multiline', enums: 'always-multiline', tuples: 'always-multiline', generics: 'ignore'}],
			'@stylistic/arrow-parens': ['error', 'as-needed'],
			'@stylistic/brace-style': ['error', '1tbs', {allowSingleLine: true}],
			'@stylistic/keyword-spacing': 'error',
			'@stylistic/space-before-blocks': 'error',
			'@stylistic/space-infix-ops': 'error',
			'@stylistic/comma-spacing': 'error',
			'@stylistic/key-spacing': 'error',
			'@stylistic/no-trailing-spaces': 'error',
			'@stylistic/eol-last': 'error',
			'@stylistic/no-multiple-empty-lines': ['error', {max: 1, maxEOF: 0}],
			'@stylistic/padding-line-between-statements': ['error', {blankLine: 'always', prev: 'block-like', next: '*'}],
			'@stylistic/member-delimiter-style': ['error', {multiline: {delimiter: 'semi'}, singleline: {delimiter: 'semi', requireLast: false}}],
			'@stylistic/jsx-quotes': ['error', 'prefer-double'],
		},
	},
	// One HTTP pipeline (docs/architecture.md): ferry's own code sends requests only through
	// source/clouds/http-transport.ts, with agents from source/clouds/http-agent.ts; the AWS SDK clients keep their SDK's
	// handler. Tests and the local cloud's package are outside this rule.
	{
		files: ['packages/ferry/source/**/*.{ts,tsx}', 'packages/ferry/wizards/**/*.{ts,tsx}'],
		ignores: ['packages/ferry/source/clouds/http-transport.ts', 'packages/ferry/source/clouds/http-agent.ts'],
		rules: {
			'no-restricted-globals': ['error', ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map(name => ({name, message: httpPipelineMessage}))],
			'no-restricted-properties': ['error', ...['globalThis', 'global'].map(object => ({object, property: 'fetch', message: httpPipelineMessage}))],
			'@typescript-eslint/no-restricted-imports': ['error', {
				paths: ['node:http', 'http', 'node:https', 'https', 'node:http2', 'http2', 'undici'].map(name => ({name, allowTypeImports: true, message: httpPipelineMessage})),
				patterns: [{group: ['undici/*'], message: httpPipelineMessage}],
			}],
		},
	},
	{
		files: ['**/*.js'],
		languageOptions: {globals: {process: 'readonly', console: 'readonly'}},
	},
);
