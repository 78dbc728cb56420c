/** Quoting helpers for the DuckDB SQL the engine generates. */
export function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

export function sqlString(value: string): string {
	return `'${value.replaceAll("'", "''")}'`;
}
