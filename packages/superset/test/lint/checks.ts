/**
 * The lint for dashboards: each check is a pure function of one chart's answer from Superset
 * (`GET /api/v1/chart/{id}/data/`, shaped as Superset's chart-data response) and of facts the caller
 * gathered independently of the code under test (the table's first and last day from ClickHouse,
 * the label sets of superset/labels.yaml, the dashboard's slice). Each returns the findings it has:
 * an empty list passes. checks.test.ts feeds every check the defects users found and requires it to
 * fail on each; lint.ts runs them over every chart of every dashboard.
 */

export * from './checks/categories.ts';
export * from './checks/formats.ts';
export * from './checks/labels.ts';
export * from './checks/periods.ts';
export * from './checks/result.ts';
export * from './checks/series.ts';
export * from './checks/slices.ts';
