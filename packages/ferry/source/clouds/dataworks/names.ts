/**
 * DataWorks names a user types: data sources and nodes (the sync task's file).
 *
 * The API references (CreateDataSource, CreateFile, CreateBusiness) give no naming pattern. These are the rules the
 * DataWorks console states on its forms, which could not be checked against a document offline: a data source
 * name holds letters, digits and _ and does not start with a digit or _; a node name is at most 128 characters of
 * letters, Chinese characters, digits, _ and periods. No maximum is stated for a data source name; ferry allows the
 * node's 128.
 */
import {nameRule, type NameRule} from '../name-rule.js';

export const dataWorksDataSourceName: NameRule = nameRule({
	what: 'DataWorks data source name',
	length: {min: 1, max: 128, unit: 'characters'},
	first: {test: /^[A-Za-z]$/, describe: 'a letter'},
	allowed: {test: /^\w$/, describe: 'letters, digits and _'},
});

export const dataWorksNodeName: NameRule = nameRule({
	what: 'DataWorks node name',
	length: {min: 1, max: 128, unit: 'characters'},
	allowed: {test: /^[\w.\p{Script=Han}]$/u, describe: 'letters, Chinese characters, digits, _ and periods'},
});
