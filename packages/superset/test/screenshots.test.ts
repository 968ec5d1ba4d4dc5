/// <reference lib="dom" />
/**
 * Screenshots of every dashboard in a real browser (Debian's Chromium through playwright-core), over
 * the real marts (as dashboards.test.ts fills them). Only with VITRINA_SCREENSHOTS=1: it then writes
 * docs/screenshots/superset/<slug>.png, which are committed.
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
import { waitForCharts } from './browser.ts';
import { fillRealMarts, type RealMarts } from './realMarts.ts';

const OUT = join(REPOSITORY_ROOT, 'docs/screenshots/superset');
const DAYS = Number(process.env.VITRINA_SUPERSET_TEST_DAYS ?? 16);
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
    marts = await fillRealMarts({ days: DAYS, scale: 1 });
    if (!(await SupersetClient.health(local.url))) {
      await initialise(local, silentReporter);
      startedHere = (await start(local, silentReporter)) === 'started';
    }
    ({ sources } = await importDashboards({
      url: local.url,
      credentials: local.credentials,
      env: { VITRINA_CLICKHOUSE_URL: marts.clickhouseUrl },
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

  it('logs in and saves a PNG of each dashboard once its charts are drawn', async () => {
    mkdirSync(OUT, { recursive: true });
    const context = await browser!.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'ru-RU' });
    const page = await context.newPage();
    // The login form's own POST (the React form renders late): it sets the session cookie.
    await page.goto(new URL('/login/', local.url).href);
    const login = await page.request.post(new URL('/login/', local.url).href, {
      form: { csrf_token: await page.inputValue('#csrf_token'), ...local.credentials },
    });
    expect(login.ok()).toBe(true);
    const client = await SupersetClient.login(local.url, local.credentials);
    for (const dashboard of sources.dashboards.values()) {
      const charts = (await client.dashboardCharts(dashboard.slug)).length;
      await page.goto(new URL(`/superset/dashboard/${dashboard.slug}/?standalone=3`, local.url).href);
      await waitForCharts(page, charts);
      // A full-page screenshot resizes the page, which redraws every chart: size it first, wait again.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: 1600, height: Math.max(1000, height) });
      await waitForCharts(page, charts);
      expect(await page.getByText('Data error').count(), dashboard.title).toBe(0);
      const file = join(OUT, `${dashboard.slug}.png`);
      await page.screenshot({ path: file });
      expect(charts).toBeGreaterThan(0);
    }
    await context.close();
  });
});
