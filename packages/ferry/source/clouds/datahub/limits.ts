/**
 * DataHub's documented limits that ferry checks before it creates anything, and that the local stand-in enforces.
 *
 * Source: the DataHub "Limits" page (alibabacloud.com/help/en/datahub/limits, updated 2026-02-08): "Topic limits: the
 * maximum number of topics that can be created in each project … 500". The older MaxCompute use-case page that the
 * procedure follows says "A maximum of 20 topics can be created by default"; the limits page is the current one.
 */
export const topicsPerProjectLimit = 500;
