/** Quoting for SQL text ferry builds itself; Redshift follows PostgreSQL's rules here. */
export function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
	return `'${value.replaceAll('\'', '\'\'')}'`;
}

export function qualifiedName(schema: string, table: string): string {
	return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
