/** The sample company: a deterministic payments business in Belarus, and the seed that writes it into its source systems. */
export { dayKey, dayNumber, daysBetween } from './calendar.ts';
export { generateDay, generateSnapshot } from './day.ts';
export * from './rows.ts';
export { type SeedOptions, type SeedProgress, type SeedTargets, seedCompany, sourceSchema } from './seed.ts';
export type { DaySummary, SeedSummary, TableCounts } from './summary.ts';
export { createWorld, HISTORY_DAYS, type World, type WorldOptions } from './world.ts';
