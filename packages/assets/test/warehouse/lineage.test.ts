import { readFileSync } from 'node:fs';
import { AssetGraph, tablesReadBy } from '@vitrina/core';
import { describe, expect, it } from 'vitest';
import { biAssets } from '../../src/bi/index.ts';
import { dimensionAssets } from '../../src/dimension/index.ts';
import { procedureFile } from '../../src/sql.ts';
import { stageAssets } from '../../src/stage/index.ts';

const START = '2026-10-01';
const warehouseAssets = [...dimensionAssets(START), ...biAssets(START)];
/** PostgreSQL's own catalogs, which the clean-up reads, are not assets. */
const isCatalog = (table: string) => /^(information_schema|pg_catalog)\./.test(table);
/** A foreign key makes the referenced table an upstream too: it must exist and be filled first. */
const referenced = (sql: string) =>
  [...sql.matchAll(/references ([a-z_]+\.[a-z_]+)/g)].map((match) => match[1]!);
const created = (sql: string) =>
  [...sql.matchAll(/create table if not exists ([a-z_]+\.[a-z_]+)/g)].map((match) => match[1]!);

describe('the dimension and bi lineage', () => {
  it('declares as an upstream every table its SQL reads (its own tables aside)', () => {
    for (const asset of warehouseAssets) {
      const sql = asset.sql.join('\n');
      const own = new Set(created(sql));
      const read = tablesReadBy(sql).filter((table) => !own.has(table) && !isCatalog(table));
      const declared = asset.deps.map((dep) => dep.key);
      expect(declared, asset.key).toEqual(expect.arrayContaining(read));
    }
  });

  it('declares no upstream its SQL does not use, and every function it calls comes from an upstream', () => {
    for (const asset of warehouseAssets) {
      const sql = asset.sql.join('\n');
      for (const dep of asset.deps) {
        // The clean-up waits for the readers of the day it prunes; it reads none of them.
        if (asset.key === 'maintenance.cleanup') continue;
        if (dep.key === 'dimension.normalizers')
          expect(sql, asset.key).toMatch(/dimension\.(clean_text|identifier|normalize_)/);
        else expect([...tablesReadBy(sql), ...referenced(sql)], asset.key).toContain(dep.key);
      }
      if (
        /dimension\.(clean_text|identifier|normalize_)/.test(sql) &&
        !asset.key.startsWith('dimension.normalizers')
      )
        expect(
          asset.deps.map((dep) => dep.key),
          asset.key,
        ).toContain('dimension.normalizers');
    }
  });

  it('owns each table in exactly one asset, named by its key, and versions the asset by its file', () => {
    const owners = new Map<string, string>();
    for (const asset of warehouseAssets) {
      for (const table of created(asset.sql.join('\n'))) {
        expect(owners.get(table), table).toBeUndefined();
        owners.set(table, asset.key);
      }
      if (asset.key !== 'dimension.normalizers') expect(owners.get(asset.key), asset.key).toBe(asset.key);
      // The procedure's file is among the SQL its code version is derived from.
      expect(asset.sql).toContain(readFileSync(procedureFile(asset.key), 'utf8'));
    }
    expect(() => new AssetGraph([...stageAssets(START), ...warehouseAssets])).not.toThrow();
  });
});
