/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/** Every chart drawn (a canvas, an SVG, a table or a big number) and no loading indicator left. */
export async function waitForCharts(page: Page, charts: number): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const holders = Array.from(document.querySelectorAll('.dashboard-component-chart-holder'));
      const drawn = holders.filter((holder) => holder.querySelector('canvas, svg, table, .header-line'));
      return (
        drawn.length >= expected && document.querySelectorAll('.loading, [aria-label="Loading"]').length === 0
      );
    },
    charts,
    { timeout: 60_000, polling: 250 },
  );
  // ECharts animates in.
  await page.waitForTimeout(2_000);
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
  await Promise.all([
    page.waitForURL((where) => !where.pathname.startsWith('/login'), { timeout: 30_000 }),
    page.click('button[type="submit"]'),
  ]);
}
