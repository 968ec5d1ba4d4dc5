import type { Asset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';
import { dimensionChecks } from './checks.ts';
import { cleanupAsset } from './cleanup.ts';
import { type ProcedureAssetSpec, procedureAsset } from './procedureAsset.ts';

/** The asset of the normalising functions (`clean_text`, `normalize_phone`, …) that dimension and bi call. */
export const NORMALIZERS = 'dimension.normalizers';

/** Figures of dimension.identity_links for the materialisation: links and ambiguous cases by system. */
async function identityCounts(warehouse: import('pg').Pool) {
  const { rows } = await warehouse.query<{
    system: string;
    linked: string;
    ambiguous: string;
    unmatched: string;
  }>(
    `select system, count(user_id) as linked, count(*) filter (where ambiguous) as ambiguous,
       count(*) filter (where method = 'unmatched') as unmatched
     from dimension.identity_links group by system order by system`,
  );
  const metadata: Record<string, number> = {};
  for (const row of rows) {
    metadata[`${row.system}_linked`] = Number(row.linked);
    metadata[`${row.system}_ambiguous`] = Number(row.ambiguous);
    metadata[`${row.system}_unmatched`] = Number(row.unmatched);
  }
  metadata.ambiguous = rows.reduce((sum, row) => sum + Number(row.ambiguous), 0);
  return metadata;
}

/** Every asset of the `dimension` layer: cleaned, normalised, enriched data in PostgreSQL (stored procedures in sql/postgres/dimension/). */
export function dimensionAssets(start: string): Asset<WarehouseResources>[] {
  const layer = dimensionProcedures(start);
  return [cleanupAsset(start, layer), ...layer];
}

function dimensionProcedures(start: string): Asset<WarehouseResources>[] {
  const asset = (spec: Omit<ProcedureAssetSpec, 'checks'>) => {
    const checks = dimensionChecks[spec.key];
    return procedureAsset({ ...spec, ...(checks ? { checks } : {}) }, start);
  };
  return [
    asset({
      key: NORMALIZERS,
      description:
        'Cleaning functions (text, identifiers, phones to +375…, e-mails) every dimension procedure calls.',
      kind: 'definitions',
      deps: [],
    }),
    asset({
      key: 'dimension.currency_rates',
      description:
        'BYN per unit of each currency on each day: the NBRB rate of the day or the nearest earlier one.',
      kind: 'day',
      deps: [{ key: 'stage.nbrb_rates', mapping: { kind: 'window', startOffset: -7, endOffset: 0 } }],
    }),
    asset({
      key: 'dimension.merchants',
      description:
        'Merchants cleaned, with vertical and chain, their address geocoded (region, city, coordinates).',
      kind: 'state',
      deps: ['stage.merchants', 'stage.geocodes', NORMALIZERS],
    }),
    asset({
      key: 'dimension.legal_entities',
      description:
        'Legal-entity clients cleaned and geocoded, with their current contract and tariff and the CRM company of their УНП.',
      kind: 'state',
      deps: [
        'stage.legal_clients',
        'stage.contracts',
        'stage.tariffs',
        'stage.crm_requisites',
        'stage.geocodes',
        NORMALIZERS,
      ],
    }),
    asset({
      key: 'dimension.users',
      description:
        'App users cleaned: phones in E.164, e-mails lower-case, identifiers case-folded; the first card linked.',
      kind: 'state',
      deps: ['stage.user_profiles', 'stage.cards', NORMALIZERS],
    }),
    asset({
      key: 'dimension.identity_links',
      description:
        'One person across the registry, the CRM (phones and e-mails), the payments and the app logs (devices): match method and ambiguous cases.',
      kind: 'state',
      deps: [
        'dimension.users',
        'stage.crm_contacts',
        'stage.crm_field_multi',
        'stage.app_events',
        NORMALIZERS,
      ],
      metadata: (warehouse) => identityCounts(warehouse),
    }),
    asset({
      key: 'dimension.payments',
      description:
        "Payments of a day converted to BYN at the NBRB rate of the payment's day, with the merchant's legal client.",
      kind: 'day',
      deps: ['stage.payments', 'dimension.currency_rates', 'dimension.merchants', NORMALIZERS],
    }),
  ];
}
