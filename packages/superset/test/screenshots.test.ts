/// <reference lib="dom" />
/**
 * Screenshots of every dashboard in a real browser (Debian's Chromium through playwright-core), over
 * the real marts (as dashboards.test.ts fills them), each at its normal URL with Superset's menu, as
 * a person opens it after logging in through the form. Only with VITRINA_SCREENSHOTS=1: it then
 * writes docs/screenshots/superset/<slug>.png (the whole page), which are committed. With
 * VITRINA_SCREENSHOTS_CLICKHOUSE_URL (e.g. http://127.0.0.1:8123/mart after scripts/bootstrap.sh:
 * twelve months) it shows those marts instead of filling its own.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '@vitrina/core/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importDashboards,
  initialise,
  isInstalled,
  localSuperset,
  REPOSITORY_ROOT,
  type Sources,
  SupersetClient,
  silentReporter,
  start,
  stop,
} from '../src/index.ts';
import { chartProblems, logInThroughForm, waitForCharts } from './browser.ts';
import { testDays } from './lint/span.ts';
import { fillRealMarts, type RealMarts } from './realMarts.ts';

const OUT = join(REPOSITORY_ROOT, 'docs/screenshots/superset');
const DAYS = testDays();
const wanted = process.env.VITRINA_SCREENSHOTS === '1';
const local = localSuperset({
  ...process.env,
  VITRINA_SUPERSET_HOME: process.env.VITRINA_SUPERSET_TEST_HOME ?? '.vitrina/superset-test',
  VITRINA_SUPERSET_URL: process.env.VITRINA_SUPERSET_TEST_URL ?? 'http://127.0.0.1:8089',
});
const installed = wanted && (await isInstalled(local));
if (wanted && !installed)
  console.warn(`screenshots.test.ts skipped: no Superset virtual environment at ${local.venv}`);

describe.skipIf(!installed)('screenshots of every dashboard', () => {
  let startedHere = false;
  let marts: RealMarts | undefined;
  let sources: Sources;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const given = process.env.VITRINA_SCREENSHOTS_CLICKHOUSE_URL;
    marts = given ? undefined : await fillRealMarts({ days: DAYS, scale: 1 });
    const clickhouseUrl = given ?? marts!.clickhouseUrl;
    if (!(await SupersetClient.health(local.url))) {
      await initialise(local, silentReporter);
      startedHere = (await start(local, silentReporter)) === 'started';
    }
    ({ sources } = await importDashboards({
      url: local.url,
      credentials: local.credentials,
      env: { VITRINA_CLICKHOUSE_URL: clickhouseUrl },
    }));
    browser = await chromium.launch(chromiumLaunchOptions);
  });

  afterAll(async () => {
    try {
      await browser?.close();
      await marts?.drop();
    } finally {
      if (startedHere) await stop(local);
    }
  });

  it('logs in through the form and saves a PNG of each dashboard at its normal URL once its charts are drawn', async () => {
    mkdirSync(OUT, { recursive: true });
    const context = await browser!.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await logInThroughForm(page, local.url, local.credentials);
    const client = await SupersetClient.login(local.url, local.credentials);
    for (const dashboard of sources.dashboards.values()) {
      const charts = (await client.dashboardCharts(dashboard.slug)).length;
      await page.setViewportSize({ width: 1600, height: 1000 });
      await page.goto(new URL(`/superset/dashboard/${dashboard.slug}/`, local.url).href);
      await waitForCharts(page, charts);
      // The whole page in one viewport: resizing redraws every chart, so wait again before the shot.
      const height = await page.evaluate('document.documentElement.scrollHeight');
      await page.setViewportSize({ width: 1600, height: Math.max(1000, Number(height)) });
      await waitForCharts(page, charts);
      expect(await chartProblems(page, charts), dashboard.title).toEqual([]);
      expect(await page.locator('#main-menu').count(), dashboard.title).toBe(1);
      await page.screenshot({ path: join(OUT, `${dashboard.slug}.png`), fullPage: true });
      expect(charts).toBeGreaterThan(0);
    }
    await context.close();
  }, 1_200_000);
});
