import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { readDocxText, readExcel } from '@vitrina/io';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSystems } from '../src/contracts.ts';
import { AGENCY_HEADER, PARTNER_SALES_HEADER } from '../src/files.ts';
import { SAMPLE, type SampleFile, writeSamples } from '../src/samples.ts';

/** The committed samples at the repository's root. */
const committed = resolve(import.meta.dirname, '../../../samples');
const REGENERATE = 'node --import tsx packages/sample-company/scripts/samples.ts';

/** Every file under `root` but README.md, relative with '/', sorted. */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return files.filter((file) => file !== 'README.md').sort();
}

const isZip = (path: string) => /\.(xlsx|docx)$/.test(path);
/** A workbook's or document's members as text: what a reader sees, whatever zlib compressed it to. */
async function zipText(path: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  return Promise.all(
    Object.values(zip.files).map(async (member) => `${member.name}\n${await member.async('string')}`),
  );
}
const csvRows = (path: string) => readFileSync(join(committed, path), 'utf8').trimEnd().split('\n');

let fresh: string;
let again: string;
let written: SampleFile[];

beforeAll(async () => {
  fresh = mkdtempSync(join(tmpdir(), 'vitrina-samples-'));
  again = mkdtempSync(join(tmpdir(), 'vitrina-samples-'));
  written = await writeSamples(fresh);
  await writeSamples(again);
}, 120_000);

afterAll(() => {
  for (const folder of [fresh, again]) if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the sample data files (samples/)', () => {
  it(`are what the generator writes now (else regenerate them: ${REGENERATE})`, async () => {
    expect(listFiles(committed), `the files in samples/; regenerate with ${REGENERATE}`).toEqual(
      listFiles(fresh),
    );
    for (const file of listFiles(fresh)) {
      const [now, kept] = [join(fresh, file), join(committed, file)];
      const message = `samples/${file} is stale; regenerate with ${REGENERATE}`;
      if (isZip(file)) expect(await zipText(kept), message).toEqual(await zipText(now));
      else expect(readFileSync(kept, 'utf8'), message).toBe(readFileSync(now, 'utf8'));
    }
  });

  it('are byte-identical when written twice, workbooks and documents included', () => {
    expect(listFiles(again)).toEqual(listFiles(fresh));
    for (const file of listFiles(fresh))
      expect(readFileSync(join(again, file)).equals(readFileSync(join(fresh, file))), file).toBe(true);
  });

  it('hold a CSV with a header and rows for every table of the CRM, the payments core and the registry', () => {
    for (const system of Object.values(sourceSystems))
      for (const table of Object.values(system)) {
        const name = table.table.replace(/^[^.]*\./, '');
        const [header, ...rows] = csvRows(`${table.system}/${name}.csv`);
        expect(header, table.table).toBe(table.columns.join(','));
        expect(rows.length, table.table).toBeGreaterThan(0);
        expect(rows.length, table.table).toBeLessThanOrEqual(20);
      }
  });

  it('hold a partner sales CSV (UTF-8, ";", decimal comma) and an app server log excerpt', () => {
    const partner = `files/partner_sales/partner_sales_${SAMPLE.day}.csv`;
    const bytes = readFileSync(join(committed, partner));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    const [header, ...lines] = csvRows(partner);
    expect(header).toBe(PARTNER_SALES_HEADER);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.every((line) => line.startsWith(`${SAMPLE.day};`) && /;\d+,\d{2}$/.test(line))).toBe(true);

    const log = csvRows(`files/logs/app_events_${SAMPLE.day}.log`);
    const names = new Set(log.map((line) => /\[event\] .* name=(\S+)/.exec(line)?.[1]).filter(Boolean));
    for (const name of ['app_install', 'registration_complete', 'payment_success', 'screen_view'])
      expect(names, name).toContain(name);
    expect(log.some((line) => line.includes(' INFO [http] '))).toBe(true);
  });

  it('hold a real Excel workbook of the agency and real Word documents of a contract and a product', async () => {
    const agency = written.find((file) => file.source === 'agency_report')!;
    const rows: Array<Record<string, unknown>> = [];
    for await (const { record } of readExcel(join(committed, agency.path))) rows.push(record);
    expect(rows.length).toBe(agency.records);
    expect(Object.keys(rows[0]!)).toEqual([...AGENCY_HEADER]);
    expect(rows[0]![AGENCY_HEADER[0]]).toBeInstanceOf(Date);

    const contract = written.find((file) => file.source === 'contract')!;
    const text = await readDocxText(contract.path, readFileSync(join(committed, contract.path)));
    const number = /ДОГОВОР № (\S+)/.exec(text)?.[1];
    expect(number).toBeDefined();
    // The contract is the first of the registry's sample: the same number in REGISTRY.CONTRACTS.
    expect(csvRows('registry/CONTRACTS.csv').some((row) => row.split(',').includes(number!))).toBe(true);
    expect(text).toMatch(/Сумма договора: [\d ]+,\d{2} BYN/);

    const product = written.find((file) => file.source === 'product')!;
    expect(await readDocxText(product.path, readFileSync(join(committed, product.path)))).toMatch(
      /^Продукт: .+ \(\S+\)/,
    );
  });

  it('hold an NBRB rates answer and Yandex geocoder answers as the replay fixtures keep them', () => {
    const rates = JSON.parse(
      readFileSync(join(committed, `replay/nbrb/rates-${SAMPLE.day}.json`), 'utf8'),
    ) as Array<{ Cur_ID: number; Cur_Abbreviation: string; Cur_Scale: number; Date: string }>;
    expect(rates.find((rate) => rate.Cur_Abbreviation === 'USD')).toMatchObject({
      Cur_ID: 431,
      Cur_Scale: 1,
    });
    expect(rates.every((rate) => rate.Date === `${SAMPLE.day}T00:00:00`)).toBe(true);

    const answers = written.filter((file) => file.source === 'yandex_geocode');
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) {
      const body = JSON.parse(readFileSync(join(committed, answer.path), 'utf8')) as {
        response: {
          GeoObjectCollection: { metaDataProperty: { GeocoderResponseMetaData: { request: string } } };
        };
      };
      const request = body.response.GeoObjectCollection.metaDataProperty.GeocoderResponseMetaData.request;
      // Named by the SHA-1 of the address, as the replay server looks it up.
      expect(answer.path).toBe(`replay/yandex/${createHash('sha1').update(request).digest('hex')}.json`);
    }
  });

  it('are small, and each is described in samples/README.md', () => {
    const bytes = listFiles(committed).reduce((sum, file) => sum + statSync(join(committed, file)).size, 0);
    expect(bytes).toBeLessThan(1_000_000);
    const readme = readFileSync(join(committed, 'README.md'), 'utf8');
    for (const file of listFiles(committed))
      expect(readme, `samples/README.md names ${file}`).toContain(file);
  });
});
