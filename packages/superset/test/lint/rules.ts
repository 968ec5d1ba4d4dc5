/**
 * What the lint accepts besides labels.yaml: Latin proper names, identifier and numeric columns,
 * each with its reason; and the words by which a title names a slice (a vertical, direction, region).
 */
import type { Sources } from '../../src/sources.ts';

/** Latin values that are proper names, each with its reason. Kept small: labels.yaml is the rule. */
export const PROPER_NAMES: ReadonlyMap<string, string> = new Map([
  ...[
    'Toyota',
    'Volkswagen',
    'Renault',
    'Kia',
    'Hyundai',
    'Geely',
    'BMW',
    'Mercedes-Benz',
    'Skoda',
    'Lada',
    'Haval',
    'Chery',
    'Nissan',
    'Audi',
    'Belgee',
  ].map((brand) => [brand, 'a car brand: written as its maker writes it'] as [string, string]),
]);

/** Latin values of the sample company that are names as their owners write them. */
export const BRANDS: ReadonlyMap<string, string> = new Map([
  ...['OZ.by', '21vek.by', 'life:)', 'A1', 'MTS', 'МТС'].map(
    (name) => [name, 'a merchant’s brand, written as it writes itself'] as [string, string],
  ),
  ...['BYN', 'RUB', 'USD', 'EUR', 'PLN', 'CNY'].map(
    (code) => [code, 'an ISO 4217 currency code: how a payment’s currency is written'] as [string, string],
  ),
]);

/**
 * Columns holding identifiers, shown as they are: an asset's key (mart.users), a client's id, the
 * source field a quarantined row failed on (as the source system names it), an app version.
 */
export const IDENTIFIER_COLUMNS: ReadonlySet<string> = new Set([
  'asset',
  'field',
  'app_version',
  'user_id',
  'merchant_id',
  'partner_code',
  'store_code',
]);

/** Category columns whose values are numbers by nature, each with its reason. */
export const NUMERIC_CATEGORIES: ReadonlyMap<string, string> = new Map([
  ['hour', 'the hour of the day (0–23) is read as a number'],
  ['periods_since', 'weeks since registration: a count'],
  ['payments_first_7d', 'the number of payments in the first 7 days: a count'],
]);

/** Label sets whose values a title can name, and the extra words that name a code. */
const SLICE_SETS = ['vertical', 'direction', 'region'];
const EXTRA_WORDS: Record<string, Record<string, string[]>> = {
  vertical: { grocery: ['продукт', 'супермаркет'], auto: ['автоцентр', 'автосервис'] },
  direction: { B2C: ['b2c', 'физлиц', 'физических'], B2B: ['b2b', 'юрлиц', 'юридических'] },
};
/** Codes too general to be named by a title («Другие покупки»). */
const UNNAMED_CODES = new Set(['vertical/other']);

/** A Russian word → its stem, so that «Автоцентры» names «автоцентров» too and «Минск» not «Минская». */
export const stem = (word: string) => {
  const lower = word.toLowerCase();
  if (lower.length >= 8) return lower.slice(0, -3);
  if (lower.length >= 6) return lower.slice(0, -2);
  return lower;
};

/** A code a title can name: of a label set (its column is `<labelled column>_code`) or a plain column's value. */
export interface SliceWords {
  set?: string;
  column?: string;
  code: string;
  /** Stems, or phrases of stems separated by spaces (consecutive words). */
  words: string[];
}

/**
 * The words naming each code of the slice sets (the first word of its label, stemmed, and
 * EXTRA_WORDS), and each value of a plain column some dashboard slices on («Брестская область»).
 */
export function sliceVocabulary(
  labels: Sources['labels'],
  dashboards: Iterable<{ slice?: ReadonlyArray<{ column: string; value: string }> }> = [],
): SliceWords[] {
  const out: SliceWords[] = [];
  const significant = (text: string) =>
    text.split(/[^A-Za-zА-Яа-яЁё0-9]+/).filter((word) => word.length >= 3 || /\d/.test(word));
  for (const set of SLICE_SETS)
    for (const [code, label] of Object.entries(labels[set] ?? {})) {
      if (code === '' || UNNAMED_CODES.has(`${set}/${code}`)) continue;
      const first = significant(label)[0];
      out.push({
        set,
        code,
        words: [...new Set([...(first ? [stem(first)] : []), ...(EXTRA_WORDS[set]?.[code] ?? [])])],
      });
    }
  const labelled = new Set(Object.keys(labels).flatMap((set) => [set, `${set}_code`]));
  const seen = new Set<string>();
  for (const dashboard of dashboards)
    for (const { column, value } of dashboard.slice ?? []) {
      if (/_code$/.test(column) || labelled.has(column) || seen.has(`${column}=${value}`)) continue;
      seen.add(`${column}=${value}`);
      const phrase = significant(value).map(stem).join(' ');
      if (phrase) out.push({ column, code: value, words: [phrase] });
    }
  return out;
}
