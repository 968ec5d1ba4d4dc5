import { join } from 'node:path';
import { addDays, type Location } from '@vitrina/core';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { bikesLocation } from '@vitrina/example-bikes';
import { quarantineDdl, replaceQuarantine } from '@vitrina/io';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineagePointOnPage, openBrowserPage, screenshotFolder, serveForBrowser } from './build.ts';

const shots = screenshotFolder();
const screenshots = shots.path;
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Minsk' });
/** Three complete days: small enough to materialise in a second or two. */
const start = addDays(today, -3);
const days = [start, addDays(start, 1), addDays(start, 2)];

let warehouse: { url: string; drop: () => Promise<void> };
let test: TestStorage;
let server: Awaited<ReturnType<typeof serveForBrowser>>;
let page: Page;
let closeBrowser: (() => Promise<void>) | undefined;

beforeAll(async () => {
  warehouse = await tempDatabase('vitrina_ui_wh');
  test = await openTestStorage('postgres');
  const location = {
    ...(bikesLocation({ databaseUrl: warehouse.url, start }) as unknown as Location),
    standIns: ['rental API: a replay server'],
  };
  server = await serveForBrowser(location, test.storage);
  // Rows a source extraction would have quarantined, for the quarantine browser.
  const db = new pg.Client({ connectionString: warehouse.url });
  await db.connect();
  await db.query(quarantineDdl);
  await replaceQuarantine(
    db,
    { source: 'rental_api', asset: 'raw.trips', partition: days[0]!, runId: 'seeded-run-1' },
    [
      { reason: 'minutes: expected a positive number, got -2', raw: { trip_id: 17, minutes: -2 } },
      { reason: 'to_station: unknown station 99', raw: { trip_id: 41, to_station: 99 } },
    ],
  );
  await replaceQuarantine(
    db,
    { source: 'stations_csv', asset: 'raw.stations', partition: days[1]!, runId: 'seeded-run-2' },
    [{ reason: 'line 12: expected 4 columns, got 3', raw: 'Nemiga;Tsentralny;12' }],
  );
  // A partner file's rows: their partition is the file, not a day.
  await replaceQuarantine(
    db,
    { source: 'stations_csv', asset: 'raw.stations', partition: 'stations-extra.csv', runId: 'seeded-run-3' },
    [{ reason: 'capacity: expected an integer, got "many"', raw: { name: 'Uručča', capacity: 'many' } }],
  );
  await db.end();

  ({ page, close: closeBrowser } = await openBrowserPage());
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  shots.done();
  await server?.close();
  await test?.dispose();
  await warehouse?.drop();
});

const node = (key: string) => page.locator(`[data-node="${key}"]`);

/** Where a node is on screen, from its place in the layout and the canvas's current view. */
async function nodeOnScreen(key: string): Promise<{ x: number; y: number; stripeX: number; k: number }> {
  const x = Number(await node(key).getAttribute('data-x'));
  const y = Number(await node(key).getAttribute('data-y'));
  const centre = await lineagePointOnPage(page, x + 110, y + 23);
  const stripe = await lineagePointOnPage(page, x + 3, y + 23);
  return { x: centre.x, y: centre.y, stripeX: stripe.x, k: centre.k };
}

/** The colour the canvas shows at a point of the page (what a person sees, not what the DOM says). */
async function pixel(x: number, y: number): Promise<[number, number, number]> {
  return page.getByTestId('lineage-canvas').evaluate(
    (canvas, [px, py]) => {
      const element = canvas as HTMLCanvasElement;
      const rect = element.getBoundingClientRect();
      const ratio = element.width / rect.width;
      const data = element
        .getContext('2d')!
        .getImageData(Math.round((px! - rect.left) * ratio), Math.round((py! - rect.top) * ratio), 1, 1).data;
      return [data[0]!, data[1]!, data[2]!] as [number, number, number];
    },
    [x, y],
  );
}

const green: [number, number, number] = [0x16, 0xa3, 0x4a];
const grey: [number, number, number] = [0x94, 0xa3, 0xb8];
const near = (a: [number, number, number], b: [number, number, number]) =>
  a.every((value, index) => Math.abs(value - b[index]!) < 24);

describe('the web UI, in Chromium, against a real server', () => {
  it('lays out the lineage left to right by layer, every asset never materialised', async () => {
    await page.goto(server.url);
    await expect.poll(() => node('raw.stations').count()).toBe(1);
    expect(await page.locator('[data-node]').count()).toBe(6);
    expect(await page.locator('[data-node][data-health="never"]').count()).toBe(6);
    await expect.poll(() => page.locator('.legend-hint').textContent()).toContain('raw → clean → report');
    const raw = Number(await node('raw.trips').getAttribute('data-x'));
    const clean = Number(await node('clean.trips').getAttribute('data-x'));
    const report = Number(await node('report.station_daily').getAttribute('data-x'));
    expect(raw).toBeLessThan(clean);
    expect(clean).toBeLessThan(report);
    expect(await page.getByRole('note', { name: 'Stand-ins' }).textContent()).toContain(
      'rental API: a replay server',
    );
  });

  it('materialises an asset clicked on the canvas and turns its node fresh, live', async () => {
    const target = await nodeOnScreen('raw.stations');
    expect(near(await pixel(target.stripeX, target.y), grey)).toBe(true);
    await page.mouse.click(target.x, target.y);
    const panel = page.locator('aside[data-asset="raw.stations"]');
    await panel.waitFor();
    await panel.locator('[data-action="materialize"]').first().click();
    // The toast follows the run to its end, and stays clear of the side panel's buttons.
    const toast = page.locator('.toast[data-run]');
    await page.locator('.toast[data-state="success"]', { hasText: 'succeeded: 1 step' }).waitFor();
    const toastBox = (await toast.boundingBox())!;
    const panelBox = (await panel.boundingBox())!;
    expect(toastBox.x + toastBox.width).toBeLessThan(panelBox.x);
    await page.locator('[data-node="raw.stations"][data-health="fresh"]').waitFor({ state: 'attached' });
    await expect.poll(() => panel.locator('[data-state]').first().getAttribute('data-state')).toBe('fresh');
    // The canvas itself shows it: the node's stripe is the fresh green now.
    const after = await nodeOnScreen('raw.stations');
    await expect.poll(async () => near(await pixel(after.stripeX, after.y), green)).toBe(true);
    expect(await node('clean.trips').getAttribute('data-health')).toBe('never');
  });

  it('shows the run with its steps on a timeline and its event log', async () => {
    await page.locator('.toast[data-run] a', { hasText: 'Open' }).first().click();
    await page.locator('.run-page[data-status="success"]').waitFor();
    expect(
      await page.locator('.gantt-row[data-step="raw.stations"][data-status="success"] .gantt-bar').count(),
    ).toBe(1);
    await page.locator('.event-row[data-type="run_finished"]').waitFor();
    const types = await page
      .locator('.event-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
    expect(types).toEqual(['run_started', 'step_started', 'materialized', 'step_succeeded', 'run_finished']);
    expect(await page.locator('.event-row[data-type="materialized"]').textContent()).toContain(
      'materialised 24 rows',
    );
    await page.screenshot({ path: join(screenshots, 'run.png'), fullPage: true });
  });

  it('materialises everything stale from the lineage, following each node to fresh', async () => {
    await page.goto(server.url);
    await node('raw.trips').waitFor({ state: 'attached' });
    await page.locator('[data-action="materialize-stale"]').click();
    await expect
      .poll(() => page.locator('[data-node][data-health="fresh"]').count(), { timeout: 45_000 })
      .toBe(6);
    await expect.poll(() => page.locator('[data-action="materialize-stale"]').isDisabled()).toBe(true);
    // Select a node so the screenshot shows its lineage and side panel.
    const target = await nodeOnScreen('clean.trips');
    await page.mouse.click(target.x, target.y);
    await page.locator('aside[data-asset="clean.trips"] .partition-cells .cell').first().waitFor();
    await page.screenshot({ path: join(screenshots, 'lineage.png') });
  });

  it('searches, focuses on an asset and zooms and pans', async () => {
    await page.getByLabel('Search assets').fill('weekly');
    await page.getByLabel('Search assets').press('Enter');
    await page.locator('aside[data-asset="report.district_weekly"]').waitFor();
    await page.locator('aside[data-asset="report.district_weekly"]').getByText('Focus lineage').click();
    await page.locator('[data-focus="report.district_weekly"]').waitFor();
    // Upstream and downstream only: station_ranking is a sibling, not on its lineage.
    await expect.poll(() => page.locator('[data-node]').count()).toBe(5);
    expect(await node('report.station_ranking').count()).toBe(0);
    const canvas = page.getByTestId('lineage-canvas');
    const before = (await canvas.getAttribute('data-view'))!;
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await page.mouse.wheel(0, -400);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 3 + 120, box.y + box.height / 3 + 40, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => canvas.getAttribute('data-view')).not.toBe(before);
    const [, , k1] = before.split(' ').map(Number);
    const [, , k2] = (await canvas.getAttribute('data-view'))!.split(' ').map(Number);
    expect(k2!).toBeGreaterThan(k1!);
    await page.getByLabel('Show the whole graph').click();
    await expect.poll(() => page.locator('[data-node]').count()).toBe(6);
  });

  it('shows an asset page: SQL, columns, partitions, row counts, checks and history; backfills a range', async () => {
    await page.goto(`${server.url}/assets/clean.trips`);
    await page.locator('.asset-page[data-asset="clean.trips"]').waitFor();
    expect(await page.locator('#sql pre').count()).toBe(2);
    expect(await page.locator('#sql').textContent()).toContain('insert into clean.trips');
    const sqlLinks = page.locator('#sql a.sql-link');
    expect(
      new Set(await sqlLinks.evaluateAll((links) => links.map((link) => link.dataset.upstream))),
    ).toEqual(new Set(['raw.trips', 'raw.stations']));
    // The declared docs merged with the table's columns: the type from PostgreSQL, the lineage declared.
    const district = page.locator('#columns tr[data-column="district"]');
    await district.waitFor();
    expect(
      await page
        .locator('#columns tr[data-column]')
        .evaluateAll((rows) => rows.map((row) => row.dataset.column)),
    ).toEqual(['day', 'trip_id', 'from_station', 'district', 'minutes']);
    expect(await district.textContent()).toContain("The start station's district.");
    expect(await district.locator('td').nth(1).textContent()).toBe('text · not null');
    expect(await district.locator('a[data-ref="raw.stations.district"]').getAttribute('href')).toBe(
      '/assets/raw.stations?column=district',
    );
    expect(await district.locator('a[data-ref="report.station_daily.district"]').count()).toBe(1);
    await expect.poll(() => page.locator('#partitions .cell[data-state="fresh"]').count()).toBe(3);
    expect(await page.locator('#rows rect.bar').count()).toBe(3);
    expect(await page.locator('#checks [data-check="positive_minutes"] .badge').textContent()).toContain(
      'passed',
    );
    // Severity reads as what a failure would do, not as a second result beside "passed".
    expect(await page.locator('#checks [data-check="positive_minutes"] .severity').textContent()).toMatch(
      /^(blocks downstream|warns) if it fails$/,
    );
    expect(await page.locator('#history tbody tr').count()).toBe(3);
    await page.screenshot({ path: join(screenshots, 'asset.png'), fullPage: true });

    // Pick the first two days, rebuild them.
    await page.locator(`#partitions .cell[data-partition="${days[0]}"]`).click();
    await page.locator(`#partitions .cell[data-partition="${days[1]}"]`).click({ modifiers: ['Shift'] });
    await expect
      .poll(() => page.locator('.backfill strong').textContent())
      .toContain(`${days[0]} → ${days[1]}`);
    await page.getByLabel('rebuild fresh days too').check();
    await page.locator('.backfill [data-action="materialize"]').click();
    await page.locator('.toast[data-state="success"]', { hasText: 'succeeded: 2 steps' }).waitFor();
    await expect.poll(() => page.locator('#history tbody tr').count(), { timeout: 45_000 }).toBe(5);
  });

  it("follows a column's lineage to the upstream asset's page, that column selected", async () => {
    await page.goto(`${server.url}/assets/clean.trips`);
    await page.locator('#columns tr[data-column="district"] a[data-ref="raw.stations.district"]').click();
    await page.locator('.asset-page[data-asset="raw.stations"]').waitFor();
    expect(page.url()).toBe(`${server.url}/assets/raw.stations?column=district`);
    const selected = page.locator('#columns tr[data-selected]');
    await selected.waitFor();
    expect(await selected.getAttribute('data-column')).toBe('district');
    // Its lineage lit: what reads it, in the row and among the asset's downstream.
    expect(await selected.locator('a.chip.highlighted').getAttribute('data-ref')).toBe(
      'clean.trips.district',
    );
    expect(await page.locator('#lineage a.chip.highlighted').allTextContents()).toEqual(['clean.trips']);
    // Selecting another column within the page replaces the selection, not the page.
    await page.locator('#columns tr[data-column="capacity"] a.column-name').click();
    await expect.poll(() => page.url()).toBe(`${server.url}/assets/raw.stations?column=capacity`);
    expect(await page.locator('#columns tr[data-selected]').getAttribute('data-column')).toBe('capacity');
    expect(await page.locator('#lineage a.chip.highlighted').count()).toBe(0);
    await page.goBack();
    await page.locator('.asset-page[data-asset="clean.trips"]').waitFor();
  });

  it('lists runs with status and duration', async () => {
    await page.goto(`${server.url}/runs`);
    await page.locator('tr[data-run]').first().waitFor();
    const rows = page.locator('tr[data-run]');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain(`${days[0]} → ${days[1]}`);
    expect(await page.locator('tr[data-run] [data-status="success"]').count()).toBe(3);
    await page.screenshot({ path: join(screenshots, 'runs.png') });
  });

  it('shows a run started elsewhere (the CLI, the scheduler) on the open runs page, then its end, without a reload', async () => {
    await page.goto(`${server.url}/runs`);
    await page.locator('tr[data-run]').first().waitFor();
    const before = await page.locator('tr[data-run]').count();
    await page.evaluate(() => Object.assign(window, { vitrinaNotReloaded: true }));
    const response = await fetch(`${server.url}/api/materialize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token.token}` },
      body: JSON.stringify({ selection: 'report.station_ranking', force: true }),
    });
    const launched = await response.text();
    expect(response.status, launched).toBeLessThan(300);
    const { runId } = JSON.parse(launched) as { runId: string };
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.locator('[data-status="success"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('tr[data-run]').count()).toBe(before + 1);
    expect(await page.evaluate(() => 'vitrinaNotReloaded' in window)).toBe(true);
  });

  it('browses quarantined rows by source and day, with the reason', async () => {
    await page.goto(`${server.url}/quarantine`);
    await page.locator('tr[data-row]').first().waitFor();
    expect(await page.locator('tr[data-row]').count()).toBe(4);
    // The raw row is readable: a wide cell, a record's fields one per line, the blamed one marked.
    const raw = page.locator('tr[data-row]', { hasText: 'unknown station 99' }).locator('.raw-cell');
    expect((await raw.boundingBox())!.width).toBeGreaterThanOrEqual(400);
    expect(await raw.locator('.raw-field.blamed dt').textContent()).toBe('to_station');
    // Days and files apart: the partner file is listed under files, not among the days.
    const stations = page.locator('[data-source="stations_csv"]');
    expect(await stations.locator('.partition-kind').allTextContents()).toEqual([
      expect.stringMatching(/^1 day/),
      expect.stringMatching(/^1 filestations-extra\.csv/),
    ]);
    await page.locator(`[data-source="rental_api"] [data-day="${days[0]}"]`).click();
    await expect.poll(() => page.locator('tr[data-row]').count()).toBe(2);
    expect(await page.locator('tr[data-row] .reason').allTextContents()).toContain(
      'to_station: unknown station 99',
    );
    expect(page.url()).toContain(`source=rental_api&day=${days[0]}`);
    await page.screenshot({ path: join(screenshots, 'quarantine.png'), fullPage: true });
    // A source that has nothing quarantined is said to be so, not replaced by another.
    await page.goto(`${server.url}/quarantine?source=payments`);
    await page.getByText('No source "payments" in the quarantine').waitFor();
    expect(await page.locator('tr[data-row]').count()).toBe(0);
  });

  it('says so when an asset or a run does not exist', async () => {
    await page.goto(`${server.url}/assets/raw.nothing`);
    await page.getByText('No asset "raw.nothing"').waitFor();
    await page.goto(`${server.url}/runs/no-such-run`);
    await page.getByText('No run "no-such-run"').waitFor();
  });
});
