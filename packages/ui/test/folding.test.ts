import { join } from 'node:path';
import { defineAsset, defineLocation, type Location } from '@vitrina/core';
import { openTestStorage, type TestStorage } from '@vitrina/core/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineagePointOnPage, openBrowserPage, screenshotFolder, serveForBrowser } from './build.ts';

/** The payments warehouse's shape: 27 sources, 28 stage, 7 dimension, 18 bi, 1 maintenance, 17 mart, 120 charts, 26 dashboards. */
function warehouseShaped(): Location {
  const assets = [];
  const keys = (layer: string, count: number) => Array.from({ length: count }, (_, i) => `${layer}.t${i}`);
  const sources = Array.from({ length: 27 }, (_, i) => `source.crm.t${i}`);
  for (const key of sources)
    assets.push(
      defineAsset<null>({ key, description: 'a CRM table', group: 'sources', storage: 'external' }),
    );
  const layers: [string, string, number][] = [
    ['stage', 'stage', 28],
    ['dimension', 'dimension', 7],
    ['bi', 'bi', 18],
    ['mart', 'marts', 17],
  ];
  let previous = sources;
  for (const [layer, group, count] of layers) {
    const made = keys(layer, count);
    for (const [i, key] of made.entries()) {
      assets.push(
        defineAsset<null>({
          key,
          description: `a ${layer} table`,
          group,
          storage: 'postgres',
          codeVersion: 'v1',
          deps: [previous[i % previous.length]!, previous[(i * 7 + 3) % previous.length]!],
          materialize: async () => ({ rows: 1 }),
        }),
      );
    }
    previous = made;
  }
  for (const [i, key] of keys('chart', 120).entries())
    assets.push(
      defineAsset<null>({
        key,
        description: 'a chart',
        group: 'dashboards',
        storage: 'external',
        deps: [previous[i % 17]!],
      }),
    );
  for (const [i, key] of keys('dashboard', 26).entries())
    assets.push(
      defineAsset<null>({
        key,
        description: 'a dashboard',
        group: 'dashboards',
        storage: 'external',
        deps: [`chart.t${i}`, `chart.t${i + 26}`],
      }),
    );
  assets.push(
    defineAsset<null>({
      key: 'maintenance.cleanup',
      description: 'keeps the quarantine and the history short',
      group: 'maintenance',
      storage: 'postgres',
      codeVersion: 'v1',
      deps: ['bi.t0'],
      materialize: async () => ({ rows: 0 }),
    }),
  );
  return defineLocation<null>({
    name: 'warehouse-shaped',
    assets,
    resources: { open: async () => null, close: async () => {} },
  }) as Location;
}

const shots = screenshotFolder();
const screenshots = shots.path;

let test: TestStorage;
let server: Awaited<ReturnType<typeof serveForBrowser>>;
let page: Page;
let closeBrowser: (() => Promise<void>) | undefined;

beforeAll(async () => {
  test = await openTestStorage('postgres');
  const location = warehouseShaped();
  server = await serveForBrowser(location, test.storage);
  ({ page, close: closeBrowser } = await openBrowserPage());
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  shots.done();
  await server?.close();
  await test?.dispose();
});

interface Drawn {
  detail: string | null;
  labels: { kind: string; of: string; text: string; px: number }[];
}
/** What the canvas's last full redraw put on the screen. */
const drawn = () =>
  page.evaluate(
    (): Drawn => ({
      detail: window.vitrinaLineage?.detail ?? null,
      labels: window.vitrinaLineage?.labels ?? [],
    }),
  );

/** Where a point of the graph's plane is on screen. */
async function onScreen(x: number, y: number): Promise<{ x: number; y: number }> {
  const point = await lineagePointOnPage(page, x, y);
  return { x: point.x, y: point.y };
}

describe('the lineage of a warehouse-sized graph', () => {
  it('reads at fit-to-screen: groups titled, names legible, externals folded', async () => {
    await page.goto(server.url);
    await page.locator('[data-group="chart/dashboards"][data-folded="true"]').waitFor({ state: 'attached' });
    await expect.poll(async () => (await drawn()).labels.length).toBeGreaterThan(0);
    const { detail, labels } = await drawn();
    // Folded: 244 assets are not 244 unreadable blocks. Externals are one tile each group.
    expect(await page.locator('[data-node^="chart."]').count()).toBe(0);
    expect(await page.locator('[data-node^="source."]').count()).toBe(0);
    expect(detail).not.toBe('blocks');
    const boxes = labels.filter((label) => label.kind === 'box');
    expect(boxes.map((label) => label.of).sort()).toEqual(
      [
        'bi/bi',
        'chart/dashboards',
        'dashboard/dashboards',
        'dimension/dimension',
        'maintenance/maintenance',
        'mart/marts',
        'source/sources',
        'stage/stage',
      ].sort(),
    );
    // Every text on the screen is drawn at a size a person reads: ≥ 11 px for titles, ≥ 10 px for names.
    for (const label of boxes) expect(label.px, label.text).toBeGreaterThanOrEqual(11);
    for (const label of labels) expect(label.px, label.text).toBeGreaterThanOrEqual(10);
    // A title says what the group is and how many assets it holds.
    expect(boxes.find((label) => label.of === 'chart/dashboards')!.text).toBe('▸ chart · dashboards · 120');
    await page.screenshot({ path: join(screenshots, 'lineage-folded.png') });
    // Each asset on screen is named (the table's own name at least).
    const names = labels.filter((label) => label.kind === 'node');
    expect(names.length).toBe(await page.locator('[data-node]').count());
  });

  it('unfolds a group when its tile is clicked, keeping the rest folded', async () => {
    const folded = page.locator('[data-group="stage/stage"]');
    expect(await folded.getAttribute('data-folded')).toBe('true');
    // The tile's place, from the picture: the group's title drawn there says so.
    const tile = await page.evaluate(() => {
      const box = window.vitrinaLineage!.labels.find((label) => label.of === 'group:stage/stage');
      return box ? box.text : null;
    });
    expect(tile).toBe('28 assets');
    const x = Number(await folded.getAttribute('data-x'));
    const y = Number(await folded.getAttribute('data-y'));
    const center = await onScreen(x + 110, y + 23);
    await page.mouse.click(center.x, center.y);
    await expect.poll(() => page.locator('[data-node^="stage."]').count()).toBe(28);
    expect(await page.locator('[data-group="chart/dashboards"]').getAttribute('data-folded')).toBe('true');
    // And folds again from its title on the canvas: the band above the group's first row.
    const places = await page
      .locator('[data-node^="stage."]')
      .evaluateAll((items) =>
        items.map((item) => [Number(item.getAttribute('data-x')), Number(item.getAttribute('data-y'))]),
      );
    const left = Math.min(...places.map(([x]) => x!));
    const top = Math.min(...places.map(([, y]) => y!));
    const title = await onScreen(left + 40, top - 18);
    await page.mouse.click(title.x, title.y);
    await expect.poll(() => page.locator('[data-node^="stage."]').count()).toBe(0);
  });
});

describe("a big run's page", () => {
  it('shows a row per asset with its steps counted, opening into its steps', async () => {
    const launch = await server.app.inject({
      method: 'POST',
      url: '/api/materialize',
      headers: { authorization: `Bearer ${server.token.token}` },
      payload: { selection: '*' },
    });
    const { runId } = launch.json() as { runId: string };
    await page.goto(`${server.url}/runs/${runId}`);
    await page.locator('.run-page[data-status="success"]').waitFor({ timeout: 60_000 });
    // 71 steps, over the 60 a row each: a row per asset instead.
    await expect.poll(() => page.locator('.gantt-group').count()).toBe(71);
    const first = page.locator('.gantt-group').first();
    expect(await first.getAttribute('data-status')).toBe('success');
    expect(await first.locator('[data-count="success"]').textContent()).toContain('1');
    expect(await page.locator('.gantt-row[data-step]').count()).toBe(0);
    await first.getByRole('button').click();
    expect(await first.locator('.gantt-row[data-step]').count()).toBe(1);
    expect(await first.locator('.gantt-row[data-step] .gantt-bar').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'run-grouped.png') });
  });
});
