/**
 * What each box of the architecture diagram says, and the assets of the code location it stands for
 * (checked by packages/assets/test/docs/diagram.test.ts); model.ts places the boxes.
 */
import type { AssetSet, Box, Palette } from './layout.ts';

export type Content = Omit<Box, 'x' | 'y' | 'w' | 'h' | 'parent'>;

const box = (id: string, palette: Palette, title: string, lines: string[], assets?: AssetSet): Content => ({
  id,
  palette,
  title,
  lines,
  ...(assets ? { assets } : {}),
});
const count = (value: number, noun: string) => ({ value, noun });
/** Keys a box lists: comma-separated names after `prefix`; `glob (n)` stands for n keys. */
const list = (prefix: string, names: string) => ({ prefix, names: names.trim().split(/\s*,\s*/) });

export const HEADERS = {
  sources: box('sources', 'source', 'Sources', [], {
    selection: 'group:sources',
    count: count(28, 'external assets'),
  }),
  engine: box('engine', 'engine', 'Vitrina engine', [
    'orchestration, in',
    'place of Airflow',
    '`@vitrina/core`',
  ]),
  postgres: box('postgres', 'postgres', 'PostgreSQL warehouse', [
    '`vitrina_warehouse`',
    'transformations in stored procedures',
    '`sql/postgres/<schema>/*.sql`',
  ]),
  clickhouse: box('clickhouse', 'clickhouse', 'ClickHouse', [
    'database mart;',
    'DDL in',
    '`sql/clickhouse/`',
  ]),
  superset: box('superset', 'superset', 'Apache Superset', ['dashboards as code', '`superset/*.yaml`'], {
    selection: 'group:dashboards',
  }),
};

export const SOURCES = [
  box('crm', 'source', 'Bitrix24 CRM', ['MySQL', '`bitrix`'], {
    selection: 'source.crm.*',
    count: count(9, 'tables'),
  }),
  box('payments', 'source', 'Payments core', ['PostgreSQL', '`payments_core`'], {
    selection: 'source.payments.*',
    count: count(6, 'tables'),
  }),
  box('registry', 'source', 'Clients registry', ['Oracle (here a', 'PostgreSQL', 'stand-in)'], {
    selection: 'source.registry.*',
    count: count(6, 'tables'),
  }),
  box('nbrb', 'source', 'NBRB rates API', ['api.nbrb.by, JSON', '(replayed here)'], {
    selection: 'source.nbrb.*',
  }),
  box('yandex', 'source', 'Yandex Geocoder', ['HTTP API with a key', '(replayed here)'], {
    selection: 'source.yandex.*',
  }),
  box(
    'files',
    'source',
    'Files on FTP',
    [
      'partner sales CSV',
      'agency report Excel',
      'app server logs TXT',
      'contracts, products',
      'DOCX',
      '(here a local inbox)',
    ],
    { selection: 'source.files.*', count: count(5, 'feeds') },
  ),
];

export const ENGINE = [
  box('graph', 'engine', 'Asset graph', ['every table declared', 'lineage, no cycles']),
  box('planner', 'engine', 'Planner', ['stale partitions,', 'each with reasons']),
  box('executor', 'engine', 'Executor', [
    'runs every asset:',
    'extract + validate,',
    'procedures, transfers,',
    'checks, retries',
    'pools:',
    'crm 1 · payments 1',
    'registry 1 · files 1',
    'api 2 · warehouse 4',
    'transfer 3',
  ]),
  box('storage', 'engine', 'Runs storage', [
    'runs, events, state',
    'PostgreSQL schema',
    'vitrina (or PGlite)',
  ]),
  box('scheduler', 'engine', 'Scheduler', ['`daily 30 0 * * *`', 'Europe/Minsk', '+ freshness policies']),
  box('ui', 'engine', 'Web UI + API', ['lineage, runs, SSE', '`vitrina serve`', '127.0.0.1:3030']),
  box('cli', 'engine', 'CLI', ['`pnpm vitrina`', 'seed · plan ·', 'materialize · runs']),
];

export const STAGE = box(
  'stage',
  'stage',
  'stage',
  [
    'raw, per day',
    'incremental by a',
    'cursor, re-reading',
    'a lookback window;',
    'a day is replaced',
    'atomically',
  ],
  { selection: 'group:stage', count: count(28, 'assets') },
);

export const QUARANTINE = box('quarantine', 'quarantine', 'Quarantine', [
  '`quarantine.rows`',
  'bad rows: source,',
  'reason, raw row',
]);

export const DIMENSION = box(
  'dimension',
  'dimension',
  'dimension',
  ['cleaned, enriched', '(geocoded, in BYN)', 'by procedures'],
  {
    selection: 'group:dimension',
    count: count(7, 'assets'),
    list: list(
      'dimension.',
      'normalizers, users, currency_rates, merchants, legal_entities, identity_links, payments',
    ),
  },
);

export const BI = box('bi', 'bi', 'bi', ['facts, dimensions', 'and KPIs', 'by procedures'], {
  selection: 'group:bi',
  count: count(18, 'assets'),
  list: list(
    'bi.',
    `dim_date, dim_user, dim_channel, dim_merchant, dim_legal_entity, dim_currency_rate,
     fact_payments, fact_sessions, fact_app_events, fact_crm_deals, fact_partner_sales, fact_marketing_spend,
     kpi_daily, kpi_funnel, kpi_retention, kpi_channel, kpi_legal_entities, kpi_legal_monthly`,
  ),
});

export const MAINTENANCE = box(
  'maintenance',
  'maintenance',
  'Maintenance',
  ['first step of a day:', 'drops leftover work', 'tables, prunes stage', 'past its retention'],
  { selection: 'group:maintenance', list: list('maintenance.', 'cleanup') },
);

export const CLICKHOUSE = [
  box('transfer', 'mart', 'Transfer', [
    'per partition, in',
    'parallel: COPY TO',
    'STDOUT → INSERT',
    'TabSeparated →',
    'REPLACE PARTITION',
    'then reconciled',
    '(rows, sums) into',
    '`reconciliation`',
  ]),
  box('marts', 'mart', 'Marts', ['aggregates per', 'dashboard'], {
    selection: 'group:marts',
    count: count(16, 'assets'),
    list: list(
      'mart.',
      `payments, users, active_users, overview_daily, kpi_daily, kpi_channel, merchants_daily, legal_entities,
       partner_sales, marketing_daily, funnel, cohorts, app_daily, app_screens_daily, quarantine, freshness`,
    ),
  }),
  box(
    'insights',
    'insight',
    'Insights / выводы',
    ['`mart.insights`', 'conclusions, each', 'one query over the', 'marts; written to', '`docs/insights.md`'],
    { selection: 'group:insights' },
  ),
];

export const SUPERSET = [
  box('dashboards', 'dashboard', 'Dashboards', ['in Russian; charts', 'read the marts', 'over HTTP'], {
    selection: 'dashboard.*',
    count: count(26, 'dashboards'),
    list: list(
      'dashboard.',
      `overview, clients_individuals, clients_legal, auto, retail, marketing, funnel, cohorts, data_quality,
       payment_operations, app_product, b2b, insights, vertical_* (6), region_* (7)`,
    ),
  }),
  box('superset-server', 'dashboard', 'Superset 6', [
    '127.0.0.1:8088',
    'bundle built from',
    'superset/, imported',
    'over its REST API:',
    '`vitrina superset up`',
  ]),
];

export const LEGEND = box('legend', 'legend', '', [
  'grey: sources · purple: engine · yellow → orange → green: stage → dimension → bi · blue: ClickHouse · cyan: Superset',
  'black arrows: data · purple dashed: control (runs, clean-up) · red: rows rejected by validation',
]);
