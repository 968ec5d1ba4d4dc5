import type { Generated, InjectedKind, System } from './rows.ts';

export interface TableCounts {
  system: System | 'files' | 'replay';
  /** A table ('core.transactions', 'REGISTRY.USER_PROFILES', 'b_crm_deal') or a file path. */
  table: string;
  /** New rows written (bad ones included); for files, records (lines, sheet rows, documents). */
  written: number;
  /** Existing rows changed (CRM stage moves, refunds, profile updates, blocked cards). */
  updated: number;
  /** Bad rows injected, by kind (critical kinds only with `critical`). */
  bad: Partial<Record<InjectedKind, number>>;
}

export interface DaySummary {
  /** The day, or 'snapshot' for the state before the first day. */
  day: string;
  tables: TableCounts[];
}

export interface SeedSummary {
  seed: number;
  scale: number;
  from: string;
  to: string;
  badRowRate: number;
  critical: boolean;
  snapshot: DaySummary;
  days: DaySummary[];
  elapsedMs: number;
}

/** Counts what the writers write, per day and table, as they stream it. */
export class Tally {
  private readonly days = new Map<string, Map<string, TableCounts>>();

  counts(day: string, system: TableCounts['system'], table: string): TableCounts {
    const tables = this.days.get(day) ?? new Map<string, TableCounts>();
    this.days.set(day, tables);
    const key = `${system}:${table}`;
    const counts = tables.get(key) ?? { system, table, written: 0, updated: 0, bad: {} };
    tables.set(key, counts);
    return counts;
  }

  /** Wraps a row stream so every row is counted as it passes. */
  *count<Row>(
    day: string,
    system: TableCounts['system'],
    table: string,
    rows: Iterable<Generated<Row>>,
  ): Generator<Generated<Row>> {
    const counts = this.counts(day, system, table);
    for (const generated of rows) {
      if (generated.change === 'insert') counts.written++;
      else if (generated.change === 'update') counts.updated++;
      if (generated.bad) counts.bad[generated.bad] = (counts.bad[generated.bad] ?? 0) + 1;
      yield generated;
    }
  }

  summary(day: string): DaySummary {
    const order = { crm: 0, payments: 1, registry: 2, files: 3, replay: 4 };
    const tables = [...(this.days.get(day)?.values() ?? [])].sort(
      (a, b) => order[a.system] - order[b.system] || a.table.localeCompare(b.table),
    );
    return { day, tables };
  }
}
