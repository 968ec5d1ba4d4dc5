import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartsOfDashboard, loadSources, REPOSITORY_ROOT, SOURCES_DIR } from '../src/index.ts';

const sources = await loadSources(SOURCES_DIR);
const BRIEF = join(REPOSITORY_ROOT, '../shared/BRIEF.md');

/** The clauses of each dashboard bullet of the brief: "- **Title** (…) — clause; clause; clause." */
function dashboardClauses(brief: string): Map<string, string[]> {
  const clauses = new Map<string, string[]>();
  for (const match of brief.matchAll(/^- \*\*(.+?)\*\*[^—\n]*— ([\s\S]+?)(?=\n- |\n\n)/gm)) {
    const text = match[2]!.replace(/\s+/g, ' ').replace(/\.$/, '');
    clauses.set(
      match[1]!,
      text.split('; ').map((clause) => clause.trim()),
    );
  }
  return clauses;
}

describe('the question map', () => {
  it('has the dashboards the business names, and at least 25 in all', () => {
    const titles = [...sources.dashboards.values()].map((dashboard) => dashboard.title);
    expect(titles.length).toBeGreaterThanOrEqual(25);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Основные показатели системы',
        'Клиенты. Физлица',
        'Клиенты. Юрлица',
        'Направление: Автоцентры',
        'Ритейл — продукты питания, супермаркеты',
        'Маркетинг',
        'Воронка',
        'Когорты и отток',
        'Качество данных',
      ]),
    );
  });

  it('gives every chart a question, and places every chart on a dashboard', () => {
    const answering = new Set(sources.questions.flatMap((question) => question.charts));
    const placed = new Set([...sources.dashboards.values()].flatMap(chartsOfDashboard));
    const charts = [...sources.charts.keys()];
    expect(charts.filter((chart) => !answering.has(chart))).toEqual([]);
    expect(charts.filter((chart) => !placed.has(chart))).toEqual([]);
  });

  it('titles every chart in Russian', () => {
    const untitled = [...sources.charts]
      .filter(([, chart]) => !/[а-яё]/i.test(chart.title))
      .map(([key]) => key);
    expect(untitled).toEqual([]);
  });

  it.skipIf(!existsSync(BRIEF))('answers every question of the brief, quoting it exactly', () => {
    const brief = readFileSync(BRIEF, 'utf8');
    const quoted = new Set(sources.questions.map((question) => question.brief));
    const notInBrief = [...quoted].filter((quote) => !brief.replace(/\s+/g, ' ').includes(quote));
    expect(notInBrief).toEqual([]);
    const clauses = dashboardClauses(brief);
    expect([...clauses.keys()]).toContain('Клиенты. Физлица');
    const unanswered = [...clauses].flatMap(([dashboard, list]) =>
      list.filter((clause) => !quoted.has(clause)).map((clause) => `${dashboard}: ${clause}`),
    );
    expect(unanswered).toEqual([]);
    for (const asked of ['Marketing', 'funnel', 'cohorts/retention/churn', 'data quality'])
      expect(brief).toContain(asked);
  });
});

describe('the datasets', () => {
  it('name only columns that the marts DDL in sql/clickhouse/ declares, with its types', () => {
    const mismatches: string[] = [];
    for (const [key, dataset] of sources.datasets) {
      const ddlFile = join(REPOSITORY_ROOT, 'sql/clickhouse', `${dataset.table}.sql`);
      if (!existsSync(ddlFile)) {
        mismatches.push(`${key}: no ${ddlFile}`);
        continue;
      }
      const ddl = readFileSync(ddlFile, 'utf8');
      const body = ddl.slice(ddl.indexOf('CREATE TABLE'), ddl.indexOf(') ENGINE'));
      const declared = new Map(
        [...body.matchAll(/^\s+(\w+)\s+(.+?)(?:\s+DEFAULT.*?)?,?\s*(?:--.*)?$/gm)].map((match) => [
          match[1]!,
          match[2]!.trim(),
        ]),
      );
      for (const column of dataset.columns.filter((candidate) => !candidate.expression))
        if (declared.get(column.name) !== column.type)
          mismatches.push(
            `${key}.${column.name}: ${column.type} here, ${declared.get(column.name) ?? 'absent'} in DDL`,
          );
    }
    expect(mismatches).toEqual([]);
  });
});
