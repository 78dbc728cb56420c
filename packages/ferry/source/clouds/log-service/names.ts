/**
 * Log Service's naming rules for projects and logstores (the "Limits"/naming pages of Simple Log Service, and the
 * CreateProject / CreateLogStore API references): 3–63 characters; a project name holds lower-case letters, digits
 * and hyphens, a logstore name also underscores; both start and end with a lower-case letter or a digit.
 */
import {nameRule, type NameRule} from '../name-rule.js';

const edge = {test: /^[a-z\d]$/, describe: 'a lower-case letter or a digit'};

export const logProjectName: NameRule = nameRule({
	what: 'Log Service project name',
	length: {min: 3, max: 63, unit: 'characters'},
	first: edge,
	last: edge,
	allowed: {test: /^[a-z\d-]$/, describe: 'lower-case letters, digits and hyphens'},
});

export const logstoreName: NameRule = nameRule({
	what: 'Logstore name',
	length: {min: 3, max: 63, unit: 'characters'},
	first: edge,
	last: edge,
	allowed: {test: /^[a-z\d_-]$/, describe: 'lower-case letters, digits, hyphens and _'},
});
