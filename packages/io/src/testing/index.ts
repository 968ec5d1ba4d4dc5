export { startFtpServer } from './ftp.ts';
export { tempMysqlDatabase, testMysqlUrl } from './mysql.ts';

/** The ClickHouse server tests use; `scripts/services.sh up` starts one on loopback. */
export const testClickhouseUrl = process.env.VITRINA_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
