/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { checkRenderedNumbers } from './lint/page.ts';

/*
 * What a person sees in Superset's own pages, read in a real browser. The functions that run in
 * the page are passed as strings: tsx's transform adds helpers (__name) that the page lacks.
 */

/**
 * A chart holder is settled once it drew content (an ECharts canvas, table rows, a big number)
 * or showed why not (an error, a warning, the empty state). Run in the page; returns one entry per holder.
 */
const READ_HOLDERS = `(() => {
  const text = (element) => (element ? element.textContent || '' : '').replace(/\\s+/g, ' ').trim();
  return Array.from(document.querySelectorAll('.dashboard-component-chart-holder, .explore-container')).map((holder) => {
    const body = holder.querySelector('.chart-container') || holder;
    const drawn = Boolean(
      body.querySelector('canvas, table tbody tr, .header-line, svg.recharts-surface') ||
        body.querySelector('.superset-legacy-chart-big-number, [class*="big_number"]'),
    );
    const problems = [];
    const all = text(holder);
    if (/Data error|Ошибка данных/.test(all)) problems.push('«Data error»');
    for (const alert of holder.querySelectorAll('.ant-alert-error')) problems.push('error: ' + text(alert).slice(0, 200));
    for (const alert of holder.querySelectorAll('.ant-alert-warning')) problems.push('warning: ' + text(alert).slice(0, 200));
    if (holder.querySelector('.header-controls .anticon-warning, .header-controls [aria-label="warning"]'))
      problems.push('the row-limit warning');
    if (/No results were returned|Не было получено данных|No data|Нет данных/.test(text(body)))
      problems.push('the empty state: ' + text(body).slice(0, 120));
    const loading = Boolean(holder.querySelector('.loading, [aria-label="Loading"], .ant-skeleton'));
    // Cells that are a number (with a unit at most): the text of a quarantine reason is not a figure.
    const figures = Array.from(body.querySelectorAll('table td, .header-line, .subheader-line'))
      .map(text)
      .filter((cell) => /^[-−+]?[ds\u00a0.,]+s*(%|BYN|₽|$)?$/.test(cell))
      .join(' | ');
    return {
      title: text(holder.querySelector('.header-title, .editable-title')) || '(no title)',
      drawn,
      loading,
      problems,
      figures,
    };
  });
})()`;

export interface HolderState {
  title: string;
  drawn: boolean;
  loading: boolean;
  problems: string[];
  figures: string;
}

export async function readHolders(page: Page): Promise<HolderState[]> {
  return (await page.evaluate(READ_HOLDERS)) as HolderState[];
}

/**
 * Waits until `charts` chart holders are on the page and each drew content or showed an error,
 * a warning or the empty state, with no loading indicator left; then for ECharts' animation.
 * Returns quietly on timeout: chartProblems names the charts that never drew.
 */
export async function waitForCharts(page: Page, charts: number, timeout = 60_000): Promise<void> {
  await page
    .waitForFunction(
      `(() => {
        const holders = ${READ_HOLDERS};
        return holders.length >= ${charts} && holders.every((holder) => (holder.drawn || holder.problems.length > 0) && !holder.loading);
      })()`,
      undefined,
      { timeout, polling: 250 },
    )
    .catch(() => undefined);
  // ECharts animates in.
  await page.waitForTimeout(1_500);
}

/** Every chart on the page that drew nothing, or shows an error, a warning or numbers not in the Russian locale. */
export async function chartProblems(page: Page, charts: number): Promise<string[]> {
  const holders = await readHolders(page);
  const problems: string[] = [];
  if (holders.length < charts) problems.push(`${holders.length} chart holders of ${charts}`);
  for (const holder of holders) {
    if (!holder.drawn)
      problems.push(`«${holder.title}»: drew nothing${holder.loading ? ' (still loading)' : ''}`);
    for (const problem of holder.problems) problems.push(`«${holder.title}»: ${problem}`);
    const english = checkRenderedNumbers(holder.figures);
    if (english.length > 0)
      problems.push(
        `«${holder.title}»: numbers not in the Russian locale: ${english.slice(0, 5).join(', ')}`,
      );
  }
  return problems;
}

/** The navbar's text (Superset's own labels: «Дашборды», «Диаграммы», «Датасеты» in Russian). */
export async function menuText(page: Page): Promise<string> {
  return ((await page.locator('#main-menu').first().textContent()) ?? '').replace(/\s+/g, ' ');
}

/** The languages the navbar's language picker offers (hovered open): their names and links. */
export async function languagesOffered(page: Page): Promise<Array<{ name: string; href: string }>> {
  await page.locator('[aria-label="Languages"]').first().hover();
  const links = page.locator('a[href^="/lang/"]');
  await links.first().waitFor({ state: 'visible', timeout: 10_000 });
  const offered = await links.evaluateAll((anchors) =>
    anchors.map((anchor) => ({
      name: (anchor.textContent ?? '').trim(),
      href: anchor.getAttribute('href') ?? '',
    })),
  );
  await page.mouse.move(0, 500);
  return offered;
}

/** Logs in through Superset's own login form, as a person does. */
export async function logInThroughForm(
  page: Page,
  url: string,
  credentials: { username: string; password: string },
): Promise<void> {
  await page.goto(new URL('/login/', url).href);
  await page.fill('#username', credentials.username);
  await page.fill('#password', credentials.password);
  // Logged in once the redirect away from /login commits; the welcome page it lands on may take
  // long to finish loading on a busy machine, and the caller goes elsewhere anyway.
  await Promise.all([
    page.waitForURL((where) => !where.pathname.startsWith('/login'), {
      timeout: 60_000,
      waitUntil: 'commit',
    }),
    page.click('button[type="submit"]'),
  ]);
}
