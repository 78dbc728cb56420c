/**
 * DataHub's documented limits that ferry checks before it creates anything, and that the local stand-in enforces.
 *
 * Source: the DataHub "Limits" page (alibabacloud.com/help/en/datahub/limits, updated 2026-02-08): "Topic limits: the
 * maximum number of topics that can be created in each project … 500". The older MaxCompute use-case page that the
 * procedure follows says "A maximum of 20 topics can be created by default"; the limits page is the current one.
 */
export const topicsPerProjectLimit = 500;

/**
 * From the same page: "HTTP body size: the maximum size of an HTTP request body, 4 MB"; "String length: the maximum
 * length of a single string field, 2 MB"; "Records per batch write: 10,000".
 */
export const requestBodyLimitBytes = 4 * 1024 * 1024;
export const stringFieldLimitBytes = 2 * 1024 * 1024;
export const recordsPerRequestLimit = 10_000;
