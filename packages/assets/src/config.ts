import { parseEnv } from '@vitrina/core';
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z
    .string()
    .refine(
      (value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)),
      `expected a ${protocols.map((p) => `${p}://`).join(' or ')} URL such as ${example}`,
    );

/** `a,b c`: entries separated by commas or white space. */
const entries = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);

/** An entry's asset key: `stage.partner_sales`. */
const assetKey = /^[a-z_]+\.[a-z0-9_]+$/;

/** `<asset>=<value>` entries into a map, each value checked by `value`; a bad entry is named. */
const perAsset = <T>(what: string, value: z.ZodType<T>) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      const map = new Map<string, T>();
      for (const entry of entries(text)) {
        const equals = entry.indexOf('=');
        const [asset, given] = equals < 0 ? [entry, ''] : [entry.slice(0, equals), entry.slice(equals + 1)];
        const parsed = value.safeParse(given);
        if ((assetKey.test(asset) || asset === '*') && parsed.success) map.set(asset, parsed.data);
        else context.addIssue({ code: 'custom', message: `"${entry}": expected <asset>=<${what}>` });
      }
      return map;
    });

/** A share as `20%` or `0.2`, from 0 to 1. */
const share = z
  .string()
  .regex(/^\d+(\.\d+)?%?$/)
  .transform((text) => (text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text)))
  .pipe(z.number().min(0).max(1));

/** The encodings text files are read in. */
export const fileEncoding = z.enum(['utf-8', 'windows-1251']);
export type FileEncoding = z.infer<typeof fileEncoding>;

/** A delivery accepted as it is: `<asset>:<day>`, `<asset>:<file name>` or `<asset>:*`. */
export interface AcceptedDelivery {
  asset: string;
  /** A day (`YYYY-MM-DD`), a file name of a file set, or `*` for every partition. */
  partition: string;
}

const acceptedDeliveries = z
  .string()
  .optional()
  .transform((text, context) =>
    entries(text).flatMap((entry): AcceptedDelivery[] => {
      const colon = entry.indexOf(':');
      const [asset, partition] = [entry.slice(0, colon), entry.slice(colon + 1)];
      if (colon > 0 && assetKey.test(asset) && partition !== '') return [{ asset, partition }];
      context.addIssue({
        code: 'custom',
        message: `"${entry}": expected <asset>:<day>, <asset>:<file> or <asset>:*`,
      });
      return [];
    }),
  );

/**
 * Where the warehouse and every source system live. Each value is validated at start-up and a bad
 * one is reported with its variable's name; secrets (passwords in URLs, the Yandex key) are never
 * echoed. Defaults point at the machine's own servers, as the tests and the demo use them.
 */
export const warehouseConfigSchema = z.object({
  VITRINA_WAREHOUSE_URL: url(
    ['postgres', 'postgresql'],
    'postgres://postgres@127.0.0.1:5432/vitrina_warehouse',
  ).default('postgres://postgres@127.0.0.1:5432/vitrina_warehouse'),
  VITRINA_CLICKHOUSE_URL: url(['http', 'https'], 'http://127.0.0.1:8123/mart').default(
    'http://127.0.0.1:8123/mart',
  ),
  VITRINA_CRM_URL: url(['mysql'], 'mysql://root@127.0.0.1:3306/bitrix').default(
    'mysql://root@127.0.0.1:3306/bitrix',
  ),
  VITRINA_PAYMENTS_URL: url(
    ['postgres', 'postgresql'],
    'postgres://postgres@127.0.0.1:5432/payments_core',
  ).default('postgres://postgres@127.0.0.1:5432/payments_core'),
  /** An oracle:// URL reads the real registry; a postgres:// one reads its stand-in. */
  VITRINA_REGISTRY_URL: url(
    ['oracle', 'postgres', 'postgresql'],
    'oracle://user:pass@host:1521/service',
  ).default('postgres://postgres@127.0.0.1:5432/clients_registry'),
  /** Partner files; without it they are read from VITRINA_INBOX. */
  VITRINA_FTP_URL: url(['ftp', 'ftps'], 'ftp://user:pass@host/outbox').optional(),
  VITRINA_INBOX: z.string().min(1).default('.vitrina/inbox'),
  /** The replay server's fixtures (NBRB and Yandex answers), written by `vitrina seed`. */
  VITRINA_REPLAY_FIXTURES: z.string().min(1).default('.vitrina/replay'),
  /** The NBRB and Yandex APIs (https://api.nbrb.by, https://geocode-maps.yandex.ru); without them a replay server stands in. */
  VITRINA_NBRB_URL: url(['http', 'https'], 'https://api.nbrb.by').optional(),
  VITRINA_YANDEX_URL: url(['http', 'https'], 'https://geocode-maps.yandex.ru').optional(),
  VITRINA_YANDEX_API_KEY: z.string().min(1).optional(),
  /** Yandex's terms allow caching a geocode for at most 30 days. */
  VITRINA_GEOCODE_TTL_DAYS: z.coerce.number().int().min(1).max(30).default(30),
  /** Where the dashboards are served, for the lineage to link to them. */
  VITRINA_SUPERSET_URL: url(['http', 'https'], 'http://127.0.0.1:8088').default('http://127.0.0.1:8088'),
  /** The first day of the daily partitions. */
  VITRINA_START: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .default('2026-10-01'),
  /** How far back each incremental extraction re-reads, for late-arriving rows. */
  VITRINA_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /** How long connecting (and logging in) to a source may take before the step fails. */
  VITRINA_SOURCE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** How long one source query, file transfer or API exchange may take in all. */
  VITRINA_SOURCE_QUERY_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /**
   * Deliveries to load although they would otherwise fail the step as a silent loss: an empty day,
   * a header-only file, an API answering nothing, more quarantined than the asset allows. E.g.
   * `stage.partner_sales:2026-01-05,stage.app_events:*`.
   */
  VITRINA_ACCEPT_PARTIAL_DELIVERY: acceptedDeliveries,
  /**
   * The share of a load's rows that may be quarantined before the step fails, per asset (`*` for
   * every one), instead of the asset's own (20 % unless it says otherwise): `stage.partner_sales=50%`.
   */
  VITRINA_MAX_QUARANTINED_SHARE: perAsset('share such as 20% or 0.2', share),
  /** The encoding a text file source delivers in when not its declared one: `stage.partner_sales=windows-1251`. */
  VITRINA_FILE_ENCODINGS: perAsset('utf-8 or windows-1251', fileEncoding),
});

export type WarehouseConfig = z.infer<typeof warehouseConfigSchema>;

export function loadWarehouseConfig(env: NodeJS.ProcessEnv = process.env): WarehouseConfig {
  return parseEnv(warehouseConfigSchema, env);
}
