import { ConfigError } from '@vitrina/core';
import {
  ClickHouse,
  ensureDatabase,
  oracleConnection,
  quarantineDdl,
  type SourceDialect,
  type SourceTimeouts,
  sourcePool,
} from '@vitrina/io';
import type pg from 'pg';
import type { WarehouseConfig } from './config.ts';
import { startReplayServer } from './replay/server.ts';

export type FileSource =
  | { kind: 'ftp'; url: string; timeouts: SourceTimeouts }
  | { kind: 'inbox'; dir: string };

export type RegistrySource =
  | { dialect: Extract<SourceDialect, 'postgres'>; pool: pg.Pool }
  | { dialect: Extract<SourceDialect, 'oracle'>; connection: ReturnType<typeof oracleConnection> };

/** What every asset of the warehouse reaches: the warehouse itself and each source system. */
export interface WarehouseResources {
  config: WarehouseConfig;
  warehouse: pg.Pool;
  /** The marts' ClickHouse (VITRINA_CLICKHOUSE_URL; its database is created by the mart assets). */
  clickhouse: ClickHouse;
  payments: pg.Pool;
  registry: RegistrySource;
  crmUrl: string;
  files: FileSource;
  /** Every source's connect and total timeouts, from the configuration. */
  timeouts: SourceTimeouts;
  nbrbUrl: string;
  yandex: { url: string; apiKey: string | null };
  /** Systems replaced by a stand-in here, named for the CLI and the UI to label. */
  standIns: string[];
  close: () => Promise<void>;
}

/** Every value read as the text PostgreSQL sends: the stage schemas parse it, nothing is lost to JS numbers or zones. */
const asText: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/** What every stage load shares: the schema, the quarantine, and the register of files loaded (name + checksum). */
const warehouseDdl = `create schema if not exists stage;
${quarantineDdl}
create table if not exists stage.loaded_files (
  asset text not null,
  name text not null,
  sha256 text not null,
  bytes bigint not null,
  rows integer not null,
  run_id text not null,
  loaded_at timestamptz not null default now(),
  primary key (asset, name)
);`;

const replaysApis = (config: WarehouseConfig) => !config.VITRINA_NBRB_URL || !config.VITRINA_YANDEX_URL;

/** The systems this configuration replaces with a stand-in, as the CLI and the UI label them. */
export function standInsOf(config: WarehouseConfig): string[] {
  return [
    ...(config.VITRINA_REGISTRY_URL.startsWith('oracle://')
      ? []
      : ['clients registry: a PostgreSQL stand-in for Oracle']),
    ...(config.VITRINA_FTP_URL
      ? []
      : [`partner files: the local folder ${config.VITRINA_INBOX} instead of FTP`]),
    ...(replaysApis(config)
      ? [`NBRB and Yandex Geocoder: a replay server over ${config.VITRINA_REPLAY_FIXTURES}`]
      : []),
  ];
}

export async function openResources(config: WarehouseConfig): Promise<WarehouseResources> {
  await ensureDatabase(config.VITRINA_WAREHOUSE_URL);
  const timeouts: SourceTimeouts = {
    connectTimeoutMs: config.VITRINA_SOURCE_CONNECT_TIMEOUT_SECONDS * 1000,
    queryTimeoutMs: config.VITRINA_SOURCE_QUERY_TIMEOUT_MINUTES * 60_000,
  };
  // Every pool gives up connecting after its timeout: pg's default waits for ever.
  const warehouse = sourcePool(config.VITRINA_WAREHOUSE_URL, { max: 8, ...timeouts });
  await warehouse.query(warehouseDdl);
  const payments = sourcePool(config.VITRINA_PAYMENTS_URL, { max: 2, types: asText, ...timeouts });
  let registry: RegistrySource;
  if (config.VITRINA_REGISTRY_URL.startsWith('oracle://')) {
    registry = { dialect: 'oracle', connection: oracleConnection(config.VITRINA_REGISTRY_URL) };
  } else {
    registry = {
      dialect: 'postgres',
      pool: sourcePool(config.VITRINA_REGISTRY_URL, { max: 2, types: asText, ...timeouts }),
    };
  }
  const files: FileSource = config.VITRINA_FTP_URL
    ? { kind: 'ftp', url: config.VITRINA_FTP_URL, timeouts }
    : { kind: 'inbox', dir: config.VITRINA_INBOX };

  let replay: Awaited<ReturnType<typeof startReplayServer>> | null = null;
  let yandexKey = config.VITRINA_YANDEX_API_KEY ?? null;
  if (replaysApis(config)) {
    yandexKey ??= 'replay';
    replay = await startReplayServer(config.VITRINA_REPLAY_FIXTURES, { yandexApiKey: yandexKey });
  } else if (!yandexKey) {
    throw new ConfigError('VITRINA_YANDEX_API_KEY: required when VITRINA_YANDEX_URL is set');
  }
  const clickhouse = new ClickHouse(config.VITRINA_CLICKHOUSE_URL, timeouts);
  return {
    config,
    warehouse,
    clickhouse,
    payments,
    registry,
    crmUrl: config.VITRINA_CRM_URL,
    files,
    timeouts,
    nbrbUrl: config.VITRINA_NBRB_URL ?? replay!.url,
    yandex: { url: config.VITRINA_YANDEX_URL ?? replay!.url, apiKey: yandexKey },
    standIns: standInsOf(config),
    close: async () => {
      await Promise.all([
        warehouse.end(),
        payments.end(),
        registry.dialect === 'postgres' ? registry.pool.end() : Promise.resolve(),
        replay?.close(),
        clickhouse.close(),
      ]);
    },
  };
}
