/**
 * Amazon Redshift's naming rules for what a user types.
 *
 * Sources:
 * - "Names and identifiers" (docs.aws.amazon.com/redshift/latest/dg/r_names.html): identifiers are 1–127 bytes of
 *   UTF-8 printable characters; ferry writes them as delimited identifiers (double quotes doubled), which may hold any
 *   of those; longer names are truncated by the service, so a longer answer would name another object.
 * - CreateCluster ClusterIdentifier: 1–63 characters, lower-case letters, digits and hyphens, a letter first, not
 *   ending with a hyphen, no two consecutive hyphens.
 * - Redshift Serverless CreateWorkgroup workgroupName: 3–64 characters, pattern ^[a-z0-9-]+$.
 * - GetClusterCredentials DbUser: 1–64 characters of letters, digits, _ + . @ -, a letter first, not PUBLIC.
 */
import {nameRule, type NameRule} from '../name-rule.js';

export const redshiftIdentifier: NameRule = nameRule({
	what: 'Redshift identifier',
	length: {min: 1, max: 127, unit: 'bytes'},
	// eslint-disable-next-line no-control-regex
	allowed: {test: /^[^\u0000-\u001f\u007f-\u009f]$/u, describe: 'printable characters'},
});

export const redshiftClusterIdentifier: NameRule = nameRule({
	what: 'Redshift cluster identifier',
	length: {min: 1, max: 63, unit: 'characters'},
	first: {test: /^[a-z]$/, describe: 'a lower-case letter'},
	last: {test: /^[a-z\d]$/, describe: 'a lower-case letter or a digit'},
	allowed: {test: /^[a-z\d-]$/, describe: 'lower-case letters, digits and hyphens'},
	also: name => (name.includes('--') ? 'Redshift cluster identifiers have no two consecutive hyphens' : undefined),
});

export const redshiftWorkgroupName: NameRule = nameRule({
	what: 'Redshift Serverless workgroup name',
	length: {min: 3, max: 64, unit: 'characters'},
	allowed: {test: /^[a-z\d-]$/, describe: 'lower-case letters, digits and hyphens'},
});

export const redshiftDbUser: NameRule = nameRule({
	what: 'Redshift database user name',
	length: {min: 1, max: 64, unit: 'characters'},
	first: {test: /^[A-Za-z]$/, describe: 'a letter'},
	allowed: {test: /^[\w+.@-]$/, describe: 'letters, digits and _ + . @ -'},
	also: name => (name.toLowerCase() === 'public' ? 'PUBLIC is not a user name' : undefined),
});
