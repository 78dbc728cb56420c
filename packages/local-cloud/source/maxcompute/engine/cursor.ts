import {OdpsError} from './odps-error.js';
import {isSymbol, isWord, type Token} from './tokenizer.js';

/** Walks one statement's tokens for the hand-written statement parsers; errors are MaxCompute parse exceptions. */
export class TokenCursor {
	readonly tokens: Token[];
	index = 0;

	constructor(tokens: Token[]) {
		this.tokens = tokens;
	}

	get current(): Token | undefined {
		return this.tokens[this.index];
	}

	get done(): boolean {
		return this.index >= this.tokens.length;
	}

	peekWord(...words: string[]): boolean {
		return isWord(this.current, ...words);
	}

	acceptWord(...words: string[]): string | undefined {
		if (!isWord(this.current, ...words)) return undefined;
		return this.tokens[this.index++]!.value;
	}

	acceptSymbol(symbol: string): boolean {
		if (!isSymbol(this.current, symbol)) return false;
		this.index++;
		return true;
	}

	expectWord(...words: string[]): string {
		const word = this.acceptWord(...words);
		if (word === undefined) throw this.unexpected(words.map(value => value.toUpperCase()).join(' or '));
		return word;
	}

	expectSymbol(symbol: string): void {
		if (!this.acceptSymbol(symbol)) throw this.unexpected(`'${symbol}'`);
	}

	expectIdentifier(): Token {
		const token = this.current;
		if (token === undefined || (token.kind !== 'word' && token.kind !== 'quoted-identifier')) throw this.unexpected('an identifier');
		this.index++;
		return token;
	}

	expectString(): Token {
		const token = this.current;
		if (token?.kind !== 'string') throw this.unexpected('a string literal');
		this.index++;
		return token;
	}

	expectNumber(): number {
		const token = this.current;
		if (token?.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected('an integer');
		this.index++;
		return Number(token.text);
	}

	expectEnd(): void {
		if (!this.done) throw this.unexpected('end of statement');
	}

	/** "invalid token" is how the service words most parse errors, e.g. `Parse exception - invalid token 'x'` (verify). */
	unexpected(expected: string): OdpsError {
		const token = this.current;
		if (token === undefined) {
			const last = this.tokens.at(-1);
			const position = last === undefined ? {line: 1, column: 1} : {line: last.line, column: last.column + last.text.length};
			return new OdpsError('parse', `unexpected end of statement, expect ${expected}`, position);
		}

		return new OdpsError('parse', `invalid token '${token.text}', expect ${expected}`, {line: token.line, column: token.column});
	}
}

export function positionOf(token: Token): {line: number; column: number} {
	return {line: token.line, column: token.column};
}
