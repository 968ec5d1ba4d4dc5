import { parseEnv } from '@vitrina/core';
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z
    .string()
    .refine(
      (value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)),
      `expected a ${protocols.map((p) => `${p}://`).join(' or ')} URL such as ${example}`,
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
});

export type WarehouseConfig = z.infer<typeof warehouseConfigSchema>;

export function loadWarehouseConfig(env: NodeJS.ProcessEnv = process.env): WarehouseConfig {
  return parseEnv(warehouseConfigSchema, env);
}
