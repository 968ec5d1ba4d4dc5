import {
  type CommandTerminal,
  daily,
  type LocationCommand,
  latestPartition,
  partitionDateSchema,
  UserError,
} from '@vitrina/core';
import { z } from 'zod';
import type { SeedProgress, SeedTargets } from './seed.ts';
import type { SeedSummary, TableCounts } from './summary.ts';

/** `vitrina seed` options as commander hands them over (strings), validated here. */
export const seedOptionsSchema = z
  .object({
    scale: z.coerce.number().positive('expected a positive number').max(1000, 'at most 1000').default(1),
    from: partitionDateSchema.optional(),
    to: partitionDateSchema.optional(),
    seed: z.coerce.number().int('expected a whole number').min(0).default(1),
    badRate: z.coerce
      .number()
      .min(0, 'expected a rate between 0 and 1')
      .max(1, 'expected a rate between 0 and 1')
      .default(0.002),
    critical: z.boolean().default(false),
  })
  .strict();

const flags: Record<string, string> = {
  scale: '--scale',
  from: '--from',
  to: '--to',
  seed: '--seed',
  badRate: '--bad-rate',
};

const badTotal = (counts: TableCounts) => Object.values(counts.bad).reduce((sum, n) => sum + (n ?? 0), 0);

function printSummary(summary: SeedSummary, { log, table, colour, duration }: CommandTerminal): void {
  const totals = new Map<string, TableCounts>();
  for (const day of [summary.snapshot, ...summary.days]) {
    for (const counts of day.tables) {
      const key = `${counts.system}:${counts.table.replace(/_\d{4}-\d{2}-\d{2}/, '_*').replace(/contract_.*\.docx$/, 'contract_*.docx')}`;
      const total = totals.get(key) ?? {
        system: counts.system,
        table: key.slice(key.indexOf(':') + 1),
        written: 0,
        updated: 0,
        bad: {},
      };
      total.written += counts.written;
      total.updated += counts.updated;
      for (const [kind, n] of Object.entries(counts.bad))
        total.bad[kind as keyof TableCounts['bad']] =
          (total.bad[kind as keyof TableCounts['bad']] ?? 0) + (n ?? 0);
      totals.set(key, total);
    }
  }
  const rows = [...totals.values()].map((counts) => [
    counts.system,
    counts.table,
    String(counts.written),
    String(counts.updated),
    badTotal(counts) === 0
      ? ''
      : Object.entries(counts.bad)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', '),
  ]);
  log(`\n${table(['SYSTEM', 'TABLE / FILE', 'WRITTEN', 'UPDATED', 'BAD ROWS'], rows)}`);
  log(
    colour.bold(
      `\nSeeded ${summary.days.length} day(s) ${summary.from}…${summary.to} at scale ${summary.scale} (seed ${summary.seed}) in ${duration(summary.elapsedMs)}.`,
    ),
  );
}

/** Where `vitrina seed` writes, and the company's first day (VITRINA_START), as the location configures them. */
export interface SeedSettings {
  targets: SeedTargets;
  start: string;
}

/**
 * `vitrina seed`: generates the sample company for a range of days and writes it into the source
 * systems `settings` names. A location contributes it (the warehouse does).
 */
export function seedCommand(settings: () => SeedSettings): LocationCommand {
  return {
    name: 'seed',
    description: 'generate the sample company and write it into the source systems (VITRINA_CRM_URL, …)',
    options: [
      { flags: '--scale <n>', description: 'size: 1 ≈ 3,000 payments a day, 100 ≈ 300,000' },
      { flags: '--from <day>', description: 'first day, YYYY-MM-DD (default VITRINA_START)' },
      { flags: '--to <day>', description: 'last day, YYYY-MM-DD (default yesterday in Europe/Minsk)' },
      { flags: '--seed <s>', description: 'the random seed (same seed, same company)' },
      { flags: '--bad-rate <r>', description: 'share of non-critical bad rows, 0–1 (default 0.002)' },
      { flags: '--critical', description: 'also inject critical violations (they stop the pipeline)' },
    ],
    run: async (raw, terminal) => {
      await seed(settings(), parseOptions(raw), terminal);
      return undefined;
    },
  };
}

function parseOptions(raw: Record<string, unknown>): z.infer<typeof seedOptionsSchema> {
  const parsed = seedOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  throw new UserError(`${flags[name] ?? name} ${JSON.stringify(String(raw[name] ?? ''))}: ${issue.message}`);
}

async function seed(
  { targets, start }: SeedSettings,
  options: z.infer<typeof seedOptionsSchema>,
  terminal: CommandTerminal,
): Promise<void> {
  const { log, colour, duration } = terminal;
  const from = options.from ?? start;
  // Yesterday in Europe/Minsk: the last complete day.
  const to = options.to ?? latestPartition(daily(from, 'Europe/Minsk'), new Date());
  if (to === null) throw new UserError(`--from ${from} is today or later: nothing complete to seed yet`);
  if (from < start) throw new UserError(`--from ${from} is before VITRINA_START ${start}`);
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}`);
  if (targets.registryUrl.startsWith('oracle://'))
    throw new UserError(
      'VITRINA_REGISTRY_URL: seeding a real Oracle registry is not supported; point it at the PostgreSQL stand-in',
    );
  const pending = new Map<string, string[]>();
  const progress = (event: SeedProgress) => {
    const line = pending.get(event.day) ?? [];
    line.push(`${event.system} ${event.rows} rows ${duration(event.elapsedMs)}`);
    pending.set(event.day, line);
    if (line.length === 4) {
      log(`${colour.cyan(event.day.padEnd(10))}  ${line.join(' · ')}`);
      pending.delete(event.day);
    }
  };
  log(
    `Seeding the sample company ${from}…${to} at scale ${options.scale} (seed ${options.seed}, bad rows ${options.badRate}${options.critical ? ', critical violations on' : ''}).`,
  );
  // Imported here, not at the top: the location that contributes the command loads only this file.
  const { seedCompany } = await import('./seed.ts');
  const summary = await seedCompany(targets, {
    scale: options.scale,
    seed: options.seed,
    start,
    from,
    to,
    badRowRate: options.badRate,
    critical: options.critical,
    onProgress: progress,
  });
  printSummary(summary, terminal);
}
