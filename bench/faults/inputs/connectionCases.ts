import { closedPort, type FaultServer, silentServer } from './faultServers.ts';
import type { Harness } from './harness.ts';
import { type CaseSpec, dayScope, type Lane, settingsCase, tableScope } from './spec.ts';

// Sources that cannot be reached or are configured wrong: a closed port, a server that never
// answers, a rejected login, an unknown database or role, a folder or FTP server that is not there,
// a setting that is not a valid value.

/** The URL with another host:port, user, password or database. */
function other(
  url: string,
  change: { port?: number; host?: string; user?: string; password?: string; database?: string },
) {
  const parsed = new URL(url);
  if (change.host) parsed.host = change.host;
  if (change.port) parsed.port = String(change.port);
  if (change.user) parsed.username = change.user;
  if (change.password) parsed.password = change.password;
  if (change.database) parsed.pathname = `/${change.database}`;
  return parsed.toString();
}

const env = (h: Harness, name: string) => h.systems.env[name]!;
const CRM = /CRM \(Bitrix24 on MySQL\), \w+: /;
const PAYMENTS = /payments core \(PostgreSQL\)/;
const REGISTRY = /clients registry \(Oracle\)/;

/** A case against a source that accepts connections and never answers (started and stopped with the case). */
function silentCase(spec: Omit<CaseSpec, 'inject' | 'restore' | 'lane'> & { variable: string }): CaseSpec {
  let server: FaultServer | null = null;
  const { variable, ...rest } = spec;
  return {
    ...rest,
    lane: 'silence' satisfies Lane,
    inject: async (h) => {
      server = await silentServer();
      return { [variable]: other(env(h, variable), { host: server.url }) };
    },
    restore: async () => {
      await server?.close();
    },
  };
}

export function connectionCases(_day: string): CaseSpec[] {
  const contacts = { asset: 'stage.crm_contacts', scope: tableScope('stage.crm_contacts') };
  return [
    settingsCase({
      ...contacts,
      name: 'CRM closed port',
      source: 'VITRINA_CRM_URL at a loopback port nothing listens on',
      expected: 'error',
      names: new RegExp(`${CRM.source}.*ECONNREFUSED`),
      settings: async (h) => ({
        VITRINA_CRM_URL: other(env(h, 'VITRINA_CRM_URL'), { port: await closedPort() }),
      }),
    }),
    settingsCase({
      ...contacts,
      name: 'CRM wrong password',
      source: 'VITRINA_CRM_URL with a wrong password for root',
      expected: 'error',
      names: new RegExp(`${CRM.source}.*Access denied`),
      secret: 'wrong-password-42',
      settings: (h) => ({
        VITRINA_CRM_URL: other(env(h, 'VITRINA_CRM_URL'), { password: 'wrong-password-42' }),
      }),
    }),
    settingsCase({
      ...contacts,
      name: 'CRM unknown database',
      source: 'VITRINA_CRM_URL naming a database that does not exist',
      expected: 'error',
      names: new RegExp(`${CRM.source}.*Unknown database`),
      settings: (h) => ({
        VITRINA_CRM_URL: other(env(h, 'VITRINA_CRM_URL'), { database: 'no_such_bitrix' }),
      }),
    }),
    settingsCase({
      asset: 'stage.payments',
      name: 'payments closed port',
      source: 'VITRINA_PAYMENTS_URL at a loopback port nothing listens on',
      expected: 'error',
      names: new RegExp(`${PAYMENTS.source}.*ECONNREFUSED`),
      settings: async (h) => ({
        VITRINA_PAYMENTS_URL: other(env(h, 'VITRINA_PAYMENTS_URL'), { port: await closedPort() }),
      }),
    }),
    settingsCase({
      asset: 'stage.payments',
      name: 'payments unknown database',
      source: 'VITRINA_PAYMENTS_URL naming a database that does not exist',
      expected: 'error',
      names: new RegExp(`${PAYMENTS.source}.*does not exist`),
      settings: (h) => ({
        VITRINA_PAYMENTS_URL: other(env(h, 'VITRINA_PAYMENTS_URL'), { database: 'no_such_payments' }),
      }),
    }),
    settingsCase({
      asset: 'stage.app_sessions',
      name: 'registry unknown role',
      source: 'VITRINA_REGISTRY_URL with a user the server does not know',
      expected: 'error',
      names: new RegExp(`${REGISTRY.source}.*bench_nobody`),
      settings: (h) => ({
        VITRINA_REGISTRY_URL: other(env(h, 'VITRINA_REGISTRY_URL'), { user: 'bench_nobody' }),
      }),
    }),
    settingsCase({
      asset: 'stage.payments',
      name: 'payments URL not a URL',
      source: "VITRINA_PAYMENTS_URL 'payments_core' (a database name, not a URL)",
      expected: 'error',
      names: /VITRINA_PAYMENTS_URL/,
      settings: () => ({ VITRINA_PAYMENTS_URL: 'payments_core' }),
    }),
    settingsCase({
      asset: 'stage.partner_sales',
      name: 'unknown file encoding',
      source: 'VITRINA_FILE_ENCODINGS=stage.partner_sales=koi8-r',
      expected: 'error',
      names: /VITRINA_FILE_ENCODINGS/,
      settings: () => ({ VITRINA_FILE_ENCODINGS: 'stage.partner_sales=koi8-r' }),
    }),
    settingsCase({
      asset: 'stage.partner_sales',
      name: 'inbox folder missing',
      source: 'VITRINA_INBOX pointing at a folder that does not exist',
      expected: 'error',
      names: /partner_sales\/partner_sales_\S+\.csv is missing in the inbox \/nonexistent/,
      settings: () => ({ VITRINA_INBOX: '/nonexistent/vitrina-inbox' }),
    }),
    settingsCase({
      asset: 'stage.partner_sales',
      name: 'FTP unreachable',
      source: 'VITRINA_FTP_URL at a loopback port nothing listens on',
      expected: 'error',
      names: /FTP partner@127\.0\.0\.1:\d+\/outbox: .*ECONNREFUSED/,
      secret: 'ftp-secret-7',
      settings: async () => ({
        VITRINA_FTP_URL: `ftp://partner:ftp-secret-7@127.0.0.1:${await closedPort()}/outbox`,
      }),
    }),
    silentCase({
      asset: 'stage.crm_users',
      scope: tableScope('stage.crm_users'),
      name: 'CRM that never answers',
      source: 'VITRINA_CRM_URL at a server that accepts the connection and says nothing',
      expected: 'error',
      names: new RegExp(`${CRM.source}.*(timed out|ETIMEDOUT|no connection within)`),
      variable: 'VITRINA_CRM_URL',
    }),
    silentCase({
      asset: 'stage.products',
      scope: (h) => ({ ...dayScope('stage.products')(h), where: 'true' }),
      name: 'payments core that never answers',
      source: 'VITRINA_PAYMENTS_URL at a server that accepts the connection and says nothing',
      expected: 'error',
      names: new RegExp(`${PAYMENTS.source}.*(timed out|timeout|no connection within)`),
      variable: 'VITRINA_PAYMENTS_URL',
    }),
  ];
}
