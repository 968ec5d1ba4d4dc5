import { describe, expect, it } from 'vitest';
import { loadWarehouseConfig } from '../src/config.ts';

describe('warehouse configuration', () => {
  it("defaults to the machine's own servers", () => {
    const config = loadWarehouseConfig({});
    expect(config.VITRINA_CRM_URL).toBe('mysql://root@127.0.0.1:3306/bitrix');
    expect(config.VITRINA_REGISTRY_URL).toMatch(/^postgres:\/\/.*clients_registry$/);
    expect(config.VITRINA_GEOCODE_TTL_DAYS).toBe(30);
    expect(config.VITRINA_FTP_URL).toBeUndefined();
  });

  it.each([
    [{ VITRINA_CRM_URL: 'postgres://x/bitrix' }, /^VITRINA_CRM_URL: expected a mysql:\/\/ URL/],
    [
      { VITRINA_REGISTRY_URL: 'sqlserver://x' },
      /^VITRINA_REGISTRY_URL: expected a oracle:\/\/ or postgres:\/\/ or postgresql:\/\/ URL/,
    ],
    [{ VITRINA_GEOCODE_TTL_DAYS: '90' }, /^VITRINA_GEOCODE_TTL_DAYS: /],
    [{ VITRINA_START: '01.10.2026' }, /^VITRINA_START: expected YYYY-MM-DD$/],
  ])('names the variable at fault in %j', (env, message) => {
    expect(() => loadWarehouseConfig(env)).toThrow(message);
  });

  it('never echoes a secret in its message', () => {
    expect(() => loadWarehouseConfig({ VITRINA_FTP_URL: 'sftp://user:hunter2@host' })).toThrow(
      /^VITRINA_FTP_URL: expected/,
    );
    expect(() => loadWarehouseConfig({ VITRINA_FTP_URL: 'sftp://user:hunter2@host' })).not.toThrow(/hunter2/);
  });
});
