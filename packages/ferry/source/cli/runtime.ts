/** The oldest Node.js line ferry runs on; package.json `engines` says the same. */
export const minimumNode = {major: 22, minor: 13} as const;

/** A one-line refusal with a hint when this Node.js is older than ferry supports, otherwise undefined. */
export function unsupportedRuntimeMessage(version: string): string | undefined {
	const [major = 0, minor = 0] = version.split('.').map(Number);
	if (major > minimumNode.major || (major === minimumNode.major && minor >= minimumNode.minor)) {
		return undefined;
	}

	return `ferry needs Node.js ${minimumNode.major}.${minimumNode.minor} or newer, and this is Node.js ${version}.\n`
		+ 'Hint: install Node.js 24 LTS (or 22), then run ferry again; `node --version` shows which one your shell finds.';
}
