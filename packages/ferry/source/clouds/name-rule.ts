/**
 * How a service's naming rule is written once and read everywhere: a rule answers with what is wrong with a name
 * (one sentence that states the rule, for a parameter's validation or a client's refusal) or undefined when the
 * service takes it. Each service's rules live beside its client (`clouds/<service>/names.ts`), with their sources.
 */

/** What is wrong with the name, or undefined when the service takes it. An answer is read as text. */
export type NameRule = (name: unknown) => string | undefined;

type CharacterClass = {
	/** Tests one character (one code point). */
	test: RegExp;
	/** As the rule's sentence names it: "a letter", "letters, digits and _". */
	describe: string;
};

export type NameRuleSpec = {
	/** The kind of name, singular: "MaxCompute table name". */
	what: string;
	length: {min: number; max: number; unit: 'characters' | 'bytes'};
	first?: CharacterClass;
	last?: CharacterClass;
	allowed: CharacterClass;
	/** Further rules of the service, checked after the ones above. */
	also?: (name: string) => string | undefined;
};

export function nameLength(name: string, unit: 'characters' | 'bytes'): number {
	return unit === 'bytes' ? Buffer.byteLength(name, 'utf8') : [...name].length;
}

/** A character as a message shows it: printable ones quoted, others by code point. */
export function showCharacter(character: string): string {
	// eslint-disable-next-line no-control-regex
	return /^[\u0000-\u001f\u007f-\u009f\s]$/u.test(character) ? `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(character);
}

export function nameRule(spec: NameRuleSpec): NameRule {
	const {what, length: {min, max, unit}} = spec;
	return value => {
		const name = String(value);
		const size = nameLength(name, unit);
		if (size < min || size > max) {
			return `${what}s are ${min === max ? `${max}` : `${min}–${max}`} ${unit} long; this one is ${size.toLocaleString('en-US')}`;
		}

		const characters = [...name];
		const first = characters[0];
		if (spec.first && first !== undefined && !spec.first.test.test(first)) {
			return `${what}s start with ${spec.first.describe}, not ${showCharacter(first)}`;
		}

		const last = characters.at(-1);
		if (spec.last && last !== undefined && !spec.last.test.test(last)) {
			return `${what}s end with ${spec.last.describe}, not ${showCharacter(last)}`;
		}

		const bad = characters.find(character => !spec.allowed.test.test(character));
		if (bad !== undefined) {
			return `${what}s hold only ${spec.allowed.describe}; ${showCharacter(bad)} is not one of them`;
		}

		return spec.also?.(name);
	};
}
