import mysql from 'mysql2/promise';

/** The MariaDB/MySQL server tests use; `scripts/services.sh env` exports it. */
export const testMysqlUrl = process.env.VITRINA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** A fresh, uniquely named MySQL database, dropped by `drop()`. */
export async function tempMysqlDatabase(
  prefix = 'vitrina_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = await mysql.createConnection({ uri: testMysqlUrl });
  await admin.query(`create database \`${name}\``);
  await admin.end();
  const url = new URL(testMysqlUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const connection = await mysql.createConnection({ uri: testMysqlUrl });
      await connection.query(`drop database if exists \`${name}\``);
      await connection.end();
    },
  };
}
