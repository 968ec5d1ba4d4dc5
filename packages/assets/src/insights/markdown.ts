import { period } from './format.ts';
import type { InsightRecord } from './run.ts';

/** What the marts held when the conclusions were drawn. */
export interface InsightsRun {
  /** The marts' ClickHouse, without credentials. */
  source: string;
  drawnAt: string;
}

/**
 * `docs/insights.md`: every conclusion with its sentence, the days it covers, its figures, the query
 * file and the chart that shows it. Written by `vitrina insights` from the current marts.
 */
export function insightsMarkdown(records: readonly InsightRecord[], run: InsightsRun): string {
  const days = records
    .flatMap((record) => [record.period_from, record.period_to])
    .filter((day): day is string => day !== null)
    .sort();
  const lines = [
    '# Выводы из данных',
    '',
    `Сформировано \`pnpm vitrina insights\` ${run.drawnAt} по витринам ${run.source}`,
    `(данные за ${days.length > 0 ? period(days[0]!, days.at(-1)!) : 'пустые витрины'}). Каждый вывод — один`,
    'SQL-запрос к витринам ClickHouse (файл ниже); каждое число в тексте взято из его ответа. Те же выводы',
    'хранит витрина `mart.insights` и показывает дашборд «Выводы». Вывод, которому не хватает данных,',
    'говорит об этом вместо числа.',
    '',
  ];
  for (const record of records) {
    lines.push(`## ${record.position}. ${record.title}`, '');
    lines.push(record.supported ? record.text : `_${record.text}_`, '');
    lines.push(
      `- Период: ${period(record.period_from, record.period_to)}`,
      `- Запрос: [\`${record.query_file}\`](../${record.query_file})`,
      `- Где смотреть: ${record.shown_on} (\`${record.dashboard}\` / \`${record.chart}\`)`,
      '',
      '<details><summary>Цифры запроса</summary>',
      '',
      '```json',
      ...record.figures.map((row) => JSON.stringify(row)),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return lines.join('\n');
}
