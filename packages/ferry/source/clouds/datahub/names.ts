/**
 * DataHub's naming rules: projects, topics and the fields of a TUPLE schema. Names are not case-sensitive.
 *
 * Source: the "Naming conventions" table of the DataHub "Limits" page (alibabacloud.com/help/en/datahub/limits,
 * updated 2026-02-08): a project name is 3–32 characters, a topic name and a field name 1–128; each starts with a
 * letter and holds only letters, digits and _; system_time is not a field name. The vendor SDKs check the same
 * lengths (aliyun-datahub-sdk-go `util/format.go`, aliyun-datahub-sdk-java `FormatUtils`).
 */
import {nameRule, type NameRule} from '../name-rule.js';

const dataHubName = (what: string, min: number, max: number, also?: (name: string) => string | undefined) => nameRule({
	what,
	length: {min, max, unit: 'characters'},
	first: {test: /^[A-Za-z]$/, describe: 'a letter'},
	allowed: {test: /^\w$/, describe: 'letters, digits and _'},
	...(also ? {also} : {}),
});

export const dataHubProjectName: NameRule = dataHubName('DataHub project name', 3, 32);
export const dataHubTopicName: NameRule = dataHubName('DataHub topic name', 1, 128);
export const dataHubFieldName: NameRule = dataHubName('DataHub field name', 1, 128, name => (name.toLowerCase() === 'system_time' ? 'system_time is not a DataHub field name (the service keeps it for itself)' : undefined));
