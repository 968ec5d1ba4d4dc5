/** (f) No empty or unknown category dominates. */
import { type ChartResult, type Finding, finding, numeric } from './result.ts';

const UNKNOWN =
  /^(unknown|none|null|n\/a|na|undefined|other|-|—|–|\?|неизвестно|не указан[оа]?|нет данных|без названия|прочее|другое)$/i;

export const isEmptyCategory = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
export const isUnknownCategory = (value: unknown) => typeof value === 'string' && UNKNOWN.test(value.trim());

/**
 * No empty or unknown-like category dominates: an empty value (null, '') is not among the two
 * largest by the chart's first metric nor above `share` of its total; an unknown-like label
 * («Неизвестно», 'unknown') is not above `share`.
 */
export function checkEmptyCategories(
  result: ChartResult,
  categoryColumns: readonly string[],
  metric: string | undefined,
  share = 0.2,
): Finding[] {
  if (!metric) return [];
  const findings: Finding[] = [];
  for (const column of categoryColumns) {
    if (!result.data.some((row) => column in row)) continue;
    const totals = new Map<string, { value: unknown; sum: number }>();
    let total = 0;
    for (const row of result.data) {
      const amount = Math.abs(numeric(row[metric]) ?? 0);
      const value = row[column];
      const key = isEmptyCategory(value) ? '\u0000empty' : String(value);
      const entry = totals.get(key) ?? { value, sum: 0 };
      entry.sum += amount;
      totals.set(key, entry);
      total += amount;
    }
    if (total <= 0) continue;
    const ranked = [...totals.values()].sort((a, b) => b.sum - a.sum);
    ranked.forEach((entry, index) => {
      const part = entry.sum / total;
      const percent = `${(part * 100).toFixed(1)} % of ${metric}`;
      if (isEmptyCategory(entry.value) && (index < 2 || part > share))
        findings.push(
          finding(
            'empty category',
            `${column} is empty (${JSON.stringify(entry.value)}) for ${percent}, rank ${index + 1}`,
          ),
        );
      else if (isUnknownCategory(entry.value) && part > share)
        findings.push(finding('empty category', `${column} = '${String(entry.value)}' holds ${percent}`));
    });
  }
  return findings;
}
