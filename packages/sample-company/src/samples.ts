import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { dayKey, dayNumber } from './calendar.ts';
import { type SourceTable, sourceSystems } from './contracts.ts';
import { generateDay, generateSnapshot } from './day.ts';
import type { DayIncrement, FileIncrement, Fixture, Generated, InjectedKind, SqlValue } from './rows.ts';
import { Tally } from './summary.ts';
import { createWorld } from './world.ts';
import { deliverFiles, writeFixtures } from './writers/files.ts';

/**
 * The sample data files (`samples/` at the repository's root): a few rows of every table and a
 * trimmed copy of every file and API answer the sample company writes, for one day, written by the
 * generator's own file and fixture writers. `test/samples.test.ts` keeps the committed folder equal
 * to what this writes.
 */
export const SAMPLE = {
  seed: 1,
  scale: 1,
  start: '2026-09-01',
  /** A Sunday, so its files include the agency's weekly report. */
  day: '2026-09-06',
  badRowRate: 0.002,
} as const;

/** How much of each source the samples keep. */
export const SAMPLE_SIZE = {
  tableRows: 10,
  partnerLines: 10,
  /** The log's first lines; then the first line of every other event name and of the [http] noise. */
  logLines: 12,
  agencyRows: 12,
  yandexAnswers: 2,
} as const;

/** One sample file, as `manifest.csv` lists it. */
export interface SampleFile {
  /** Relative to the samples folder, with '/'. */
  path: string;
  system: 'crm' | 'payments' | 'registry' | 'files' | 'replay';
  /** The table ('b_crm_lead', 'core.transactions'), file kind or API it samples. */
  source: string;
  /** The increment it was taken from: a day, or 'snapshot' (the state written before the first day). */
  origin: string;
  /** Rows, lines (after a header), sheet rows, documents or answers in it. */
  records: number;
  /** The deliberately bad records in it, by kind. */
  bad: Partial<Record<InjectedKind, number>>;
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let taken = 0;
  for (const item of items) {
    yield item;
    if (++taken >= count) return;
  }
}

const badCounts = (rows: ReadonlyArray<Generated<unknown>>) => {
  const bad: SampleFile['bad'] = {};
  for (const { bad: kind } of rows) if (kind) bad[kind] = (bad[kind] ?? 0) + 1;
  return bad;
};

/** A CSV field: null empty and unquoted, an empty string "" (as PostgreSQL's COPY … CSV reads them). */
function csvField(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return text === '' || /[",\r\n]/.test(text) || text.trim() !== text
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

const csvLine = (values: ReadonlyArray<SqlValue | undefined>) => `${values.map(csvField).join(',')}\n`;

/** The increments from the sample day back to the snapshot, latest first. */
function incrementsBack(increments: readonly DayIncrement[]): DayIncrement[] {
  return [...increments].reverse();
}

/**
 * A table's sample: the first rows of its full-row increment (inserts and upserts; column updates
 * such as refunds are left out) on the latest day, up to the sample day, that wrote any, else the
 * snapshot's.
 */
function tableSample(root: string, table: SourceTable, increments: readonly DayIncrement[]): SampleFile {
  for (const increment of incrementsBack(increments)) {
    const parts = increment.tables.filter((t) => t.table === table.table && t.mode.kind !== 'update');
    const rows = [
      ...take(
        parts.flatMap((part) => [...take(part.rows(), SAMPLE_SIZE.tableRows)]),
        SAMPLE_SIZE.tableRows,
      ),
    ];
    if (rows.length === 0) continue;
    const name = table.table.includes('.') ? table.table.slice(table.table.indexOf('.') + 1) : table.table;
    const path = `${table.system}/${name}.csv`;
    mkdirSync(join(root, table.system), { recursive: true });
    const body = rows.map(({ row }) => csvLine(table.columns.map((column) => row[column]))).join('');
    writeFileSync(join(root, path), csvLine(table.columns) + body);
    return {
      path,
      system: table.system,
      source: table.table,
      origin: increment.day,
      records: rows.length,
      bad: badCounts(rows),
    };
  }
  throw new Error(`the sample company wrote no row into ${table.table} up to ${SAMPLE.day}`);
}

/** The log's first lines and the first line of every other event name and of the noise, in file order. */
function logExcerpt(lines: Iterable<Generated<string>>): Generated<string>[] {
  const all = [...lines];
  const seen = new Set<string>();
  return all.filter((line, index) => {
    const kind = line.change === 'noise' ? '[http]' : /\bname=(\S+)/.exec(line.row)?.[1];
    const first = kind !== undefined && !seen.has(kind);
    if (kind !== undefined) seen.add(kind);
    return index < SAMPLE_SIZE.logLines || first;
  });
}

/** A file of the day trimmed to its sample, its records materialised. */
function trimmed(file: FileIncrement): { file: FileIncrement; rows: Generated<unknown>[] } {
  if (file.kind === 'csv') {
    const lines = [...take(file.lines(), SAMPLE_SIZE.partnerLines)];
    return { file: { ...file, lines: () => lines }, rows: lines };
  }
  if (file.kind === 'log') {
    const lines = logExcerpt(file.lines());
    return { file: { ...file, lines: () => lines }, rows: lines };
  }
  if (file.kind === 'xlsx') {
    const rows = [...take(file.rows(), SAMPLE_SIZE.agencyRows)];
    return { file: { ...file, rows: () => rows }, rows };
  }
  return { file, rows: [{ row: file.paragraphs, change: 'insert' }] };
}

/** What kind of delivered file a path is: 'partner_sales', 'app_events', 'agency_report', 'contract', 'product'. */
const fileKind = (path: string) => {
  const kinds: Array<[RegExp, string]> = [
    [/^partner_sales\//, 'partner_sales'],
    [/^logs\//, 'app_events'],
    [/^agency\//, 'agency_report'],
    [/^docs\/contracts\//, 'contract'],
    [/^docs\/products\//, 'product'],
  ];
  const found = kinds.find(([pattern]) => pattern.test(path));
  if (!found) throw new Error(`the samples do not know the file ${path}`);
  return found[1];
};

/** The OOXML core properties' creation and modification times set to the day's midnight (UTC). */
export function fixCoreProperties(xml: string, day: string): string {
  return xml.replace(
    /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g,
    (_, open: string, _kind: string, close: string) => `${open}${day}T00:00:00Z${close}`,
  );
}

/**
 * A workbook or document written again reproducibly: every member dated `day` 00:00 UTC,
 * `docProps/core.xml`'s times set to that day, the members in their order. Unchanged members keep
 * the bytes the writer compressed them to; a changed one is deflated again at a fixed level.
 */
export async function reproducibleZip(archive: Buffer, day: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(archive);
  const core = zip.file('docProps/core.xml');
  if (core) {
    const xml = await core.async('string');
    const fixed = fixCoreProperties(xml, day);
    // Replacing a member keeps its place in the archive; no folder entries are added.
    if (fixed !== xml) zip.file(core.name, fixed, { createFolders: false });
  }
  const midnight = new Date(`${day}T00:00:00Z`);
  zip.forEach((_, member) => {
    member.date = midnight;
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/**
 * The files: each kind's first file on the latest day up to the sample day that delivered one (the
 * day's partner sales, log and agency report; the contracts and products of the first day's
 * archive), trimmed and delivered by the seed's own writer into `files/` (the FTP folder's layout);
 * workbooks and documents then made reproducible (fixed zip and document times).
 */
async function fileSamples(root: string, increments: readonly DayIncrement[]): Promise<SampleFile[]> {
  const chosen = new Map<string, { increment: DayIncrement; file: FileIncrement }>();
  for (const increment of incrementsBack(increments))
    for (const file of increment.files) {
      const kind = fileKind(file.path);
      if (!chosen.has(kind)) chosen.set(kind, { increment, file });
    }
  const samples: SampleFile[] = [];
  const inbox = join(root, 'files');
  for (const [kind, { increment, file }] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
    const sample = trimmed(file);
    await deliverFiles({ inbox }, increment.day, [sample.file], new Tally());
    if (file.kind === 'xlsx' || file.kind === 'docx') {
      const path = join(inbox, file.path);
      writeFileSync(path, await reproducibleZip(readFileSync(path), increment.day));
    }
    samples.push({
      path: `files/${file.path}`,
      system: 'files',
      source: kind,
      origin: increment.day,
      records: sample.rows.length,
      bad: badCounts(sample.rows),
    });
  }
  return samples;
}

/** The sample day's NBRB answer and its first geocoder answers, written by the seed's fixture writer. */
function fixtureSamples(root: string, day: DayIncrement): SampleFile[] {
  const all = [...day.fixtures()];
  const nbrb = all.filter((fixture) => fixture.path.startsWith('nbrb/'));
  const yandex = [
    ...take(
      all.filter((fixture) => fixture.path.startsWith('yandex/')),
      SAMPLE_SIZE.yandexAnswers,
    ),
  ];
  const fixtures: Fixture[] = [...nbrb, ...yandex];
  writeFixtures(join(root, 'replay'), day.day, fixtures, new Tally());
  return fixtures.map((fixture) => ({
    path: `replay/${fixture.path}`,
    system: 'replay',
    source: fixture.path.startsWith('nbrb/') ? 'nbrb_rates' : 'yandex_geocode',
    origin: day.day,
    records: Array.isArray(fixture.body) ? fixture.body.length : 1,
    bad: {},
  }));
}

const MANIFEST_HEADER = ['path', 'system', 'source', 'origin', 'records', 'bad'] as const;

function writeManifest(root: string, files: readonly SampleFile[]): void {
  const lines = files.map((file) =>
    csvLine([
      file.path,
      file.system,
      file.source,
      file.origin,
      file.records,
      Object.entries(file.bad)
        .map(([kind, count]) => `${kind}:${count}`)
        .join(' ') || null,
    ]),
  );
  writeFileSync(join(root, 'manifest.csv'), csvLine(MANIFEST_HEADER) + lines.join(''));
}

/**
 * Writes the samples into `root` (which should be empty but for a README): a CSV per table of the
 * CRM, the payments core and the registry (`crm/`, `payments/`, `registry/`), the delivered files
 * (`files/`), the API answers (`replay/`), and `manifest.csv` listing them. Deterministic: the same
 * code gives byte-identical files.
 */
export async function writeSamples(root: string): Promise<SampleFile[]> {
  const world = createWorld({
    seed: SAMPLE.seed,
    scale: SAMPLE.scale,
    start: SAMPLE.start,
    badRowRate: SAMPLE.badRowRate,
    critical: false,
  });
  const first = dayNumber(SAMPLE.start);
  const increments: DayIncrement[] = [generateSnapshot(world, dayKey(first - 1))];
  for (let day = first; day <= dayNumber(SAMPLE.day); day++) increments.push(generateDay(world, dayKey(day)));
  mkdirSync(root, { recursive: true });
  const tables = Object.values(sourceSystems).flatMap((system): SourceTable[] => Object.values(system));
  const files: SampleFile[] = [
    ...tables.map((table) => tableSample(root, table, increments)),
    ...(await fileSamples(root, increments)),
    ...fixtureSamples(root, increments.at(-1)!),
  ];
  writeManifest(root, files);
  return files;
}

/** Rewrites the samples folder: everything in it but README.md is removed, then written anew. */
export async function regenerateSamples(root: string): Promise<SampleFile[]> {
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(root))
    if (entry !== 'README.md') rmSync(join(root, entry), { recursive: true, force: true });
  return writeSamples(root);
}
