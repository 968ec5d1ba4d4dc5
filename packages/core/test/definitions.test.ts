import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AssetGraph,
  type AssetSpec,
  DefinitionError,
  daily,
  defineAsset,
  defineLocation,
} from '../src/index.ts';
import { asset, days } from './helpers.ts';

const noResources = { open: async () => ({}), close: async () => {} };

describe('asset definitions', () => {
  it('rejects a duplicate key, naming it', () => {
    expect(() => new AssetGraph([asset('stage.a'), asset('stage.a')])).toThrow(
      /asset "stage.a" is defined twice/,
    );
  });

  it('rejects an unknown upstream and suggests the nearest key', () => {
    const build = () =>
      new AssetGraph([asset('stage.payments'), asset('bi.fact', { deps: ['stage.paymets'] })]);
    expect(build).toThrow(DefinitionError);
    expect(build).toThrow(/depends on unknown asset "stage.paymets" \(did you mean "stage.payments"\?\)/);
  });

  it('rejects a cycle and names the keys on it', () => {
    const build = () =>
      new AssetGraph([
        asset('x.a', { deps: ['x.c'] }),
        asset('x.b', { deps: ['x.a'] }),
        asset('x.c', { deps: ['x.b'] }),
        asset('x.d', { deps: ['x.a'] }),
      ]);
    expect(build).toThrow(/cycle/);
    const message = (() => {
      try {
        build();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    const keys = message
      .slice(message.indexOf(':') + 1)
      .split('→')
      .map((key) => key.trim());
    expect(keys[0]).toBe(keys[keys.length - 1]);
    expect(new Set(keys)).toEqual(new Set(['x.a', 'x.b', 'x.c']));
  });

  it('requires a declared mapping for a daily asset reading an unpartitioned one', () => {
    expect(
      () => new AssetGraph([asset('dim.rates'), asset('bi.fact', { partitions: days, deps: ['dim.rates'] })]),
    ).toThrow(/partitioned daily but depends on unpartitioned "dim.rates" without a partition mapping/);
    const graph = new AssetGraph([
      asset('dim.rates'),
      asset('bi.fact', { partitions: days, deps: [{ key: 'dim.rates', mapping: { kind: 'all' } }] }),
    ]);
    expect(graph.get('bi.fact').deps).toEqual([
      { key: 'dim.rates', mapping: { kind: 'all' }, declared: true },
    ]);
  });

  it('infers identity between daily assets and all for an unpartitioned downstream', () => {
    const graph = new AssetGraph([
      asset('stage.a', { partitions: days }),
      asset('stage.b', { partitions: days, deps: ['stage.a'] }),
      asset('bi.c', { deps: ['stage.b'] }),
    ]);
    expect(graph.get('stage.b').deps[0]!.mapping).toEqual({ kind: 'identity' });
    expect(graph.get('bi.c').deps[0]!.mapping).toEqual({ kind: 'all' });
  });

  it('names the asset and the field of an invalid value', () => {
    expect(() => asset('stage.a', { freshness: { cron: 'every day', maximumLagMinutes: 60 } })).toThrow(
      /asset "stage.a": freshness.cron: expected a five-field cron/,
    );
    expect(() => asset('Stage A')).toThrow(/asset "Stage A": key: expected dotted lower-case names/);
    expect(() =>
      asset('stage.a', {
        partitions: { kind: 'daily', timezone: 'Mars/Olympus', start: '2026-01-01', endOffsetDays: 0 },
      }),
    ).toThrow(/partitions.timezone: unknown IANA time zone/);
    expect(() => asset('stage.a', { retry: { maxRetries: -1 } })).toThrow(/retry.maxRetries/);
  });

  it('refuses a materialisable asset without materialize and an external one with it', () => {
    expect(() =>
      defineAsset({ key: 'stage.a', description: 'a', group: 'stage', storage: 'postgres' }),
    ).toThrow(/materialize: a materialisable asset needs materialize/);
    expect(() =>
      defineAsset({
        key: 'source.crm.deals',
        description: 'a',
        group: 'source',
        storage: 'external',
        materialize: async () => ({}),
      }),
    ).toThrow(/an external asset is observed/);
  });

  it('derives the code version from the SQL, ignoring layout and comments', () => {
    const a = asset('stage.a', { sql: 'select 1 from t' });
    const reformatted = asset('stage.a', { sql: '-- the same\nselect 1\n   from t' });
    const changed = asset('stage.a', { sql: 'select 2 from t' });
    expect(a.codeVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(reformatted.codeVersion).toBe(a.codeVersion);
    expect(changed.codeVersion).not.toBe(a.codeVersion);
  });

  it('versions everything that decides the output: definition, function source and file bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrina-code-'));
    const file = join(dir, 'rates.csv');
    writeFileSync(file, 'code,rate\nUSD,3.1\n');
    const base: Partial<AssetSpec<unknown>> = {
      sql: 'select 1',
      files: [file],
      materialize: async () => ({ rows: 1 }),
    };
    const version = (spec: Parameters<typeof asset>[1] = {}) =>
      asset('stage.a', { ...base, ...spec }).codeVersion;
    const first = version();
    expect(version()).toBe(first);
    expect(version({ materialize: async () => ({ rows: 2 }) })).not.toBe(first);
    expect(version({ partitions: daily('2026-01-02', 'Europe/Minsk') })).not.toBe(
      version({ partitions: days }),
    );
    expect(asset('x.b', { ...base, deps: ['stage.z'] }).codeVersion).not.toBe(
      asset('x.b', {
        ...base,
        deps: [{ key: 'stage.z', mapping: { kind: 'window', startOffset: -1, endOffset: 0 } }],
      }).codeVersion,
    );
    expect(
      version({ checks: [{ name: 'rows', severity: 'error', run: async () => ({ passed: true }) }] }),
    ).not.toBe(
      version({ checks: [{ name: 'rows', severity: 'warn', run: async () => ({ passed: true }) }] }),
    );
    writeFileSync(file, 'code,rate\nUSD,3.2\n');
    expect(version()).not.toBe(first);
    expect(() => version({ files: [join(dir, 'missing.csv')] })).toThrow(/asset "stage.a": files: ENOENT/);
    rmSync(dir, { recursive: true });
  });

  it('refuses an asset that names a pool the location does not declare', () => {
    expect(() =>
      defineLocation({ name: 't', assets: [asset('stage.a', { pool: 'crm' })], resources: noResources }),
    ).toThrow(/uses pool "crm", which the location does not declare/);
    const location = defineLocation({
      name: 't',
      assets: [asset('stage.a', { pool: 'crm' })],
      pools: { crm: 1 },
      resources: noResources,
    });
    expect(location.pools).toEqual({ crm: 1 });
  });

  it('validates schedules: the cron, a selection that resolves, unique names', () => {
    const location = (schedules: Parameters<typeof defineLocation>[0]['schedules']) =>
      defineLocation({
        name: 't',
        assets: [asset('stage.a'), asset('stage.b')],
        resources: noResources,
        schedules,
      });
    expect(location([{ name: 'daily', cron: '30 0 * * *', selection: 'stage.*' }]).schedules).toEqual([
      { name: 'daily', cron: '30 0 * * *', timezone: 'Europe/Minsk', selection: 'stage.*', description: '' },
    ]);
    expect(() => location([{ name: 'daily', cron: '30 0 * *', selection: '*' }])).toThrow(
      /schedule "daily": cron: expected a five-field cron/,
    );
    expect(() => location([{ name: 'daily', cron: '30 0 * * *', selection: 'stage.c' }])).toThrow(
      /schedule "daily": selection: unknown asset "stage.c"/,
    );
    expect(() =>
      location([
        { name: 'daily', cron: '30 0 * * *', selection: '*' },
        { name: 'daily', cron: '0 1 * * *', selection: '*' },
      ]),
    ).toThrow(/schedule "daily" is defined twice/);
  });
});
