import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouse, transferPartition, transferPartitions } from '../src/index.ts';
import { testClickhouseUrl } from '../src/testing/index.ts';

describe('transfer to ClickHouse (the real server scripts/services.sh starts)', () => {
  const database = `vitrina_test_${process.pid}`;
  const clickhouse = new ClickHouse(testClickhouseUrl);
  let warehouse: { url: string; drop: () => Promise<void> };
  let pool: pg.Pool;

  beforeAll(async () => {
    warehouse = await tempDatabase('vitrina_ch');
    pool = new pg.Pool({ connectionString: warehouse.url });
    await pool.query(`create table facts (day date, merchant text, amount numeric(18,2), note text);
      insert into facts select date '2026-01-01' + (n % 3), 'merchant ' || (n % 7), n * 1.25, case when n % 5 = 0 then null else E'tab\\there \\\\ n' || n end
      from generate_series(1, 3000) n;`);
    await clickhouse.command(`CREATE DATABASE IF NOT EXISTS ${database}`);
    await clickhouse.command(
      `CREATE TABLE ${database}.payments_daily (day Date, merchant String, amount Decimal(18, 2), note Nullable(String)) ENGINE = MergeTree() PARTITION BY day ORDER BY (day, merchant)`,
    );
  });
  afterAll(async () => {
    await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
    await clickhouse.close();
    await pool?.end();
    await warehouse?.drop();
  });

  const transfer = (
    day: string,
    query = `select day, merchant, amount, note from facts where day = '${day}'`,
  ) =>
    transferPartition(clickhouse, pool, {
      query,
      table: `${database}.payments_daily`,
      columns: ['day', 'merchant', 'amount', 'note'],
      partition: day,
      tag: `run_${day}`,
    });

  /** Rows and money per day on each side, computed by each database on its own. */
  const reconcile = async (day: string) => {
    const { rows } = await pool.query<{ n: number; total: string }>(
      'select count(*)::int as n, sum(amount)::text as total from facts where day = $1',
      [day],
    );
    const [mart] = await clickhouse.rows<{ n: string; total: string }>(
      `SELECT count() AS n, toString(sum(amount)) AS total FROM ${database}.payments_daily WHERE day = '${day}'`,
    );
    return {
      postgres: { n: rows[0]!.n, total: Number(rows[0]!.total) },
      clickhouse: { n: Number(mart!.n), total: Number(mart!.total) },
    };
  };

  it('streams a day from COPY into a staging table and swaps the partition in', async () => {
    expect(await transfer('2026-01-01')).toEqual({ rows: 1000 });
    const { postgres, clickhouse: mart } = await reconcile('2026-01-01');
    expect(mart).toEqual(postgres);
    const [sample] = await clickhouse.rows<{ note: string | null }>(
      `SELECT note FROM ${database}.payments_daily WHERE note IS NOT NULL ORDER BY amount LIMIT 1`,
    );
    expect(sample!.note).toBe('tab\there \\ n3'); // n = 3: the first of the day (n % 3 = 0) with a note
    const [nulls] = await clickhouse.rows<{ n: string }>(
      `SELECT count() AS n FROM ${database}.payments_daily WHERE note IS NULL`,
    );
    expect(Number(nulls!.n)).toBe(200);
  });

  it('replaces rather than appends when the same day runs again, leaving other days alone', async () => {
    await transfer('2026-01-02');
    await transfer('2026-01-01');
    await transfer('2026-01-01');
    expect((await reconcile('2026-01-01')).clickhouse.n).toBe(1000);
    expect((await reconcile('2026-01-02')).clickhouse.n).toBe(1000);
    const tables = await clickhouse.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${database}'`,
    );
    expect(tables.map((t) => t.name)).toEqual(['payments_daily']);
  });

  it('refuses a query that returns rows of another partition, and leaves the mart as it was', async () => {
    await expect(
      transfer('2026-01-03', "select day, merchant, amount, note from facts where day >= '2026-01-02'"),
    ).rejects.toThrow(/include rows of partition .*2026-01-02/);
    expect((await reconcile('2026-01-03')).clickhouse.n).toBe(0);
    expect((await reconcile('2026-01-02')).clickhouse.n).toBe(1000);
  });

  it('keeps the old partition when ClickHouse rejects a row mid-stream, and the pool stays usable', async () => {
    await transfer('2026-01-02');
    await expect(
      transfer(
        '2026-01-02',
        "select day, merchant, case when amount > 3000 then 'not a number' else amount::text end, note from facts where day = '2026-01-02'",
      ),
    ).rejects.toThrow(/ClickHouse: .*Cannot parse/);
    const { postgres, clickhouse: mart } = await reconcile('2026-01-02');
    expect(mart).toEqual(postgres);
    // Every pooled connection still answers: none was returned in the middle of a COPY.
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => pool.query<{ one: number }>('select 1 as one')),
    );
    expect(answers.map((answer) => answer.rows[0]!.one)).toEqual(Array(12).fill(1));
  });

  it('cancels a transfer by its signal without touching the mart', async () => {
    await transfer('2026-01-02');
    const controller = new AbortController();
    controller.abort();
    await expect(
      transferPartition(clickhouse, pool, {
        query: "select day, merchant, amount, note from facts where day = '2026-01-02' and false",
        table: `${database}.payments_daily`,
        columns: ['day', 'merchant', 'amount', 'note'],
        partition: '2026-01-02',
        tag: 'cancelled',
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i);
    expect((await reconcile('2026-01-02')).clickhouse.n).toBe(1000);
  });

  it('replaces a table without a partition key whole (partition null)', async () => {
    const whole = `${database}.merchants`;
    await clickhouse.command(
      `CREATE TABLE ${whole} (merchant String, total Decimal(18, 2)) ENGINE = MergeTree() PARTITION BY tuple() ORDER BY merchant`,
    );
    const move = (query: string) =>
      transferPartition(clickhouse, pool, {
        query,
        table: whole,
        columns: ['merchant', 'total'],
        partition: null,
        tag: 'whole',
      });
    await move('select merchant, sum(amount) from facts group by merchant');
    expect(
      await move("select merchant, sum(amount) from facts where merchant <> 'merchant 0' group by merchant"),
    ).toEqual({
      rows: 6,
    });
    const rows = await clickhouse.rows<{ merchant: string }>(
      `SELECT merchant FROM ${whole} ORDER BY merchant`,
    );
    expect(rows.map((row) => row.merchant)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `merchant ${n}`));
  });

  it('moves several days in one query, each swapped in on its own; a day with no rows is emptied', async () => {
    await transfer('2026-01-03');
    const moved = await transferPartitions(clickhouse, pool, {
      // 2026-01-03 has rows in the mart already; the range's query brings none for it.
      query: `select day, merchant, amount, note from facts where day in ('2026-01-01', '2026-01-02')`,
      table: `${database}.payments_daily`,
      columns: ['day', 'merchant', 'amount', 'note'],
      partitions: ['2026-01-01', '2026-01-02', '2026-01-03'],
      tag: 'range_2026_01_01',
    });
    expect(moved).toEqual({ rows: [1000, 1000, 0] });
    for (const day of ['2026-01-01', '2026-01-02']) {
      const { postgres, clickhouse: mart } = await reconcile(day);
      expect(mart).toEqual(postgres);
    }
    expect((await reconcile('2026-01-03')).clickhouse.n).toBe(0);
    // Rows of a day outside the range are refused, and nothing is swapped in.
    await expect(
      transferPartitions(clickhouse, pool, {
        query: 'select day, merchant, amount, note from facts',
        table: `${database}.payments_daily`,
        columns: ['day', 'merchant', 'amount', 'note'],
        partitions: ['2026-01-01', '2026-01-02'],
        tag: 'range_stray',
      }),
    ).rejects.toThrow(/partition 2026-01-01, 2026-01-02 of .* include rows of partition 2026-01-03/);
    expect((await reconcile('2026-01-03')).clickhouse.n).toBe(0);
  });

  it('moves a query that is silent before its first row (an aggregation over a large day)', async () => {
    // The insert used to open on a kept-alive socket and wait for the first row with nothing sent:
    // the server (18.16: keep_alive_timeout 10 s) closes a socket idle that long, and the insert failed with "socket hang up".
    const slow = `select day, merchant, amount, note from facts, pg_sleep(12) where day = '2026-01-02'`;
    expect(await transfer('2026-01-02', slow)).toEqual({ rows: 1000 });
    const { postgres, clickhouse: mart } = await reconcile('2026-01-02');
    expect(mart).toEqual(postgres);
  }, 30_000);

  it('qualifies names with the database its URL names', () => {
    const named = new ClickHouse('http://127.0.0.1:8123/mart');
    expect(named.database).toBe('mart');
    expect(named.qualify('payments')).toBe('mart.payments');
    expect(named.qualify('other.payments')).toBe('other.payments');
    expect(new ClickHouse('http://127.0.0.1:8123').database).toBe('default');
    expect(() => named.qualify('payments; drop')).toThrow(/not a safe/);
  });

  it('creates the database its URL names when missing', async () => {
    const missing = `${database}_created`;
    const client = new ClickHouse(`${testClickhouseUrl.replace(/\/$/, '')}/${missing}`);
    await expect(client.rows('SELECT 1')).rejects.toThrow(/ClickHouse: /);
    try {
      await client.ensureDatabase();
      await client.ensureDatabase();
      expect((await client.text('SELECT currentDatabase()')).trim()).toBe(missing);
    } finally {
      await clickhouse.command(`DROP DATABASE IF EXISTS ${missing}`);
      await client.close();
    }
  });

  it('names the failing statement in errors', async () => {
    await expect(clickhouse.rows('SELECT no_such_column FROM system.one')).rejects.toThrow(
      /ClickHouse: .*no_such_column[\s\S]*in: SELECT no_such_column/,
    );
  });
});
