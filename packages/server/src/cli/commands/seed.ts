import { type SeedProgress, type SeedSummary, seedCompany, type TableCounts } from '@vitrina/assets/company';
import { loadWarehouseConfig } from '@vitrina/assets/config';
import { daily, latestPartition, partitionDateSchema, UserError } from '@vitrina/core';
import { z } from 'zod';
import { colour, duration, table } from '../format.ts';

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

export type SeedCommandOptions = z.input<typeof seedOptionsSchema>;

const flags: Record<string, string> = {
  scale: '--scale',
  from: '--from',
  to: '--to',
  seed: '--seed',
  badRate: '--bad-rate',
};

const badTotal = (counts: TableCounts) => Object.values(counts.bad).reduce((sum, n) => sum + (n ?? 0), 0);

function printSummary(summary: SeedSummary): void {
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
  console.log(`\n${table(['SYSTEM', 'TABLE / FILE', 'WRITTEN', 'UPDATED', 'BAD ROWS'], rows)}`);
  console.log(
    colour.bold(
      `\nSeeded ${summary.days.length} day(s) ${summary.from}…${summary.to} at scale ${summary.scale} (seed ${summary.seed}) in ${duration(summary.elapsedMs)}.`,
    ),
  );
}

/** Generates the sample company for a range of days and writes it into the configured source systems. */
export async function seedCommand(raw: SeedCommandOptions): Promise<void> {
  const parsed = seedOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '');
    throw new UserError(
      `${flags[name] ?? name} ${JSON.stringify(String(raw[name as keyof SeedCommandOptions] ?? ''))}: ${issue.message}`,
    );
  }
  const options = parsed.data;
  const config = loadWarehouseConfig();
  const from = options.from ?? config.VITRINA_START;
  // Yesterday in Europe/Minsk: the last complete day.
  const to = options.to ?? latestPartition(daily(from, 'Europe/Minsk'), new Date());
  if (to === null) throw new UserError(`--from ${from} is today or later: nothing complete to seed yet`);
  if (from < config.VITRINA_START)
    throw new UserError(`--from ${from} is before VITRINA_START ${config.VITRINA_START}`);
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}`);
  if (config.VITRINA_REGISTRY_URL.startsWith('oracle://'))
    throw new UserError(
      'VITRINA_REGISTRY_URL: seeding a real Oracle registry is not supported; point it at the PostgreSQL stand-in',
    );
  const pending = new Map<string, string[]>();
  const progress = (event: SeedProgress) => {
    const line = pending.get(event.day) ?? [];
    line.push(`${event.system} ${event.rows} rows ${duration(event.elapsedMs)}`);
    pending.set(event.day, line);
    if (line.length === 4) {
      console.log(`${colour.cyan(event.day.padEnd(10))}  ${line.join(' · ')}`);
      pending.delete(event.day);
    }
  };
  console.log(
    `Seeding the sample company ${from}…${to} at scale ${options.scale} (seed ${options.seed}, bad rows ${options.badRate}${options.critical ? ', critical violations on' : ''}).`,
  );
  const summary = await seedCompany(
    {
      crmUrl: config.VITRINA_CRM_URL,
      paymentsUrl: config.VITRINA_PAYMENTS_URL,
      registryUrl: config.VITRINA_REGISTRY_URL,
      ftpUrl: config.VITRINA_FTP_URL,
      inbox: config.VITRINA_INBOX,
      replay: config.VITRINA_REPLAY_FIXTURES,
    },
    {
      scale: options.scale,
      seed: options.seed,
      start: config.VITRINA_START,
      from,
      to,
      badRowRate: options.badRate,
      critical: options.critical,
      onProgress: progress,
    },
  );
  printSummary(summary);
}
