/**
 * `pnpm bench ui`, the lineage at 2,000 and at 10,000 assets: the real server serves a synthetic
 * graph (five layers, five domains, each asset reading 1–3 of the layer before; the first three
 * layers materialised, 1 % of them failing, the rest never), and headless Chromium opens the built
 * UI on it. Measures the first frame (the graph opens folded, a tile per group), the layout of
 * every asset after *Unfold all*, and frame times while panning and zooming the whole unfolded graph
 * (blocks) and up close (text), driven one input per frame. Writes bench/results/ui.json: `assets`,
 * `first_render_ms` (navigation to the first full frame, API and layout included) and `pan_fps`
 * (the slower of the two pans) of the largest size, then `entries` with every size's details.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineAsset, defineLocation, type Location } from '@vitrina/core';
import { chromiumLaunchOptions, openTestStorage } from '@vitrina/core/testing';
import { serveForBrowser } from '../packages/ui/test/build.ts';

// playwright-core is the UI package's dev dependency: resolve it from there.
const { chromium } = createRequire(resolve(import.meta.dirname, '../packages/ui/package.json'))(
  'playwright-core',
) as typeof import('playwright-core');

/** The sizes measured, each a graph of this shape scaled up. */
const SIZES = [2000, 10_000];
const LAYERS = [
  ['source', 200],
  ['stage', 450],
  ['dimension', 400],
  ['bi', 550],
  ['mart', 400],
] as const;
const DOMAINS = ['payments', 'crm', 'clients', 'marketing', 'product'];
/** The 2,000-asset targets; at 10,000 the issue asks for a first render ≤ 3 s and pan ≥ 30 fps, the layout is reported. */
const TARGETS = { layout_ms: 100, first_render_ms: 1500, pan_fps: 30, frame_p95_ms: 33.4, draw_p95_ms: 16 };
const targetsFor = (size: number) =>
  size <= 2000 ? TARGETS : { ...TARGETS, layout_ms: null, first_render_ms: 3000 };

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** The synthetic warehouse of `size` assets: keys `<layer>.<domain>_<n>`, group = domain. */
function syntheticLocation(size: number): Location {
  const scale = size / 2000;
  const next = random(7);
  const byLayer: string[][] = [];
  const assets = [];
  let n = 0;
  for (const [index, [layer, perTwoThousand]] of LAYERS.entries()) {
    const count = perTwoThousand * scale;
    const keys: string[] = [];
    for (let i = 0; i < count; i++) {
      const domain = DOMAINS[Math.floor(next() * DOMAINS.length)]!;
      const key = layer === 'source' ? `source.${domain}.t${n}` : `${layer}.${domain}_t${n}`;
      n++;
      keys.push(key);
      const previous = byLayer[index - 1] ?? [];
      const deps = new Set<string>();
      const wanted = previous.length ? 1 + Math.floor(next() * 3) : 0;
      while (deps.size < wanted) deps.add(previous[Math.floor(next() * previous.length)]!);
      const failing = next() < 0.01;
      assets.push(
        defineAsset<null>({
          key,
          description: `${layer} table ${n} of the ${domain} domain`,
          group: domain,
          storage: layer === 'mart' ? 'clickhouse' : 'postgres',
          deps: [...deps],
          codeVersion: 'v1',
          materialize: async () => {
            if (failing) throw new Error('synthetic failure');
            return { rows: Math.floor(next() * 10_000) };
          },
        }),
      );
    }
    byLayer.push(keys);
  }
  if (assets.length !== size) throw new Error(`expected ${size} assets, made ${assets.length}`);
  return defineLocation<null>({
    name: 'lineage-bench',
    assets,
    resources: { open: async () => null, close: async () => {} },
  }) as Location;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round = (value: number) => Math.round(value * 100) / 100;

/** One size: the graph served, materialised in part, opened, unfolded, panned and zoomed. */
async function measure(size: number) {
  const test = await openTestStorage('pglite');
  const location = syntheticLocation(size);
  const server = await serveForBrowser(location, test.storage, 8);
  const profile = mkdtempSync(join(tmpdir(), 'vitrina-bench-chromium-'));
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | null = null;
  try {
    // Mixed states: the first three layers materialised (1% of them fail, blocking what they feed).
    const launch = await server.app.inject({
      method: 'POST',
      url: '/api/materialize',
      headers: { authorization: `Bearer ${server.token.token}` },
      payload: { selection: 'source.* stage.* dimension.*' },
    });
    const { runId } = launch.json() as { runId: string };
    for (;;) {
      const { run } = (await server.app.inject({ method: 'GET', url: `/api/runs/${runId}` })).json() as {
        run: { status: string };
      };
      if (run.status !== 'running') break;
      await new Promise((wait) => setTimeout(wait, 100));
    }
    const graph = (await server.app.inject({ method: 'GET', url: '/api/assets' })).json() as {
      nodes: { health: string }[];
      edges: unknown[];
    };
    const health: Record<string, number> = {};
    for (const node of graph.nodes) health[node.health] = (health[node.health] ?? 0) + 1;
    console.log(
      `graph: ${graph.nodes.length} assets, ${graph.edges.length} edges, ${JSON.stringify(health)}`,
    );

    context = await chromium.launchPersistentContext(profile, {
      ...chromiumLaunchOptions,
      viewport: { width: 1440, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await page.waitForFunction(() => (window.vitrinaLineage?.firstDrawAt ?? null) !== null, null, {
      timeout: 60_000,
    });
    const load = await page.evaluate(() => {
      const api = performance
        .getEntriesByType('resource')
        .find((entry) => entry.name.endsWith('/api/assets'));
      return {
        layoutMs: window.vitrinaLineage!.layoutMs,
        nodes: window.vitrinaLineage!.nodes,
        firstDrawMs: window.vitrinaLineage!.firstDrawAt!,
        apiMs: api ? api.duration : null,
        smallestLabelPx: Math.min(...window.vitrinaLineage!.labels.map((label) => label.px)),
      };
    });
    // The graph opens folded (a tile per group); the frames are measured on every asset, unfolded.
    const unfoldStarted = Date.now();
    await page.locator('[data-action="unfold-all"]').click();
    await page.waitForFunction((count) => window.vitrinaLineage?.nodes === count, graph.nodes.length, {
      timeout: 60_000,
    });
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    const unfoldMs = Date.now() - unfoldStarted;
    const unfoldedLayoutMs = await page.evaluate(() => window.vitrinaLineage!.layoutMs);

    /**
     * Drives one synthetic input per animation frame for `frames` frames; returns frame and draw times.
     * Plain JavaScript in a string: tsx would wrap named functions in a helper the page does not have.
     */
    const driver = `async ({ kind, frames }) => {
    const canvas = document.querySelector('canvas');
    const rect = canvas.getBoundingClientRect();
    const x0 = rect.left + rect.width / 2;
    const y0 = rect.top + rect.height / 2;
    const stats = window.vitrinaLineage;
    const drawsBefore = stats.draws.length;
    const scenesBefore = stats.scenes.length;
    const stamps = [];
    const pointer = (type, x, y) =>
      canvas.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, pointerId: 1, button: 0, buttons: 1, bubbles: true }));
    if (kind === 'pan') pointer('pointerdown', x0, y0);
    for (let i = 0; i < frames; i++) {
      stamps.push(await new Promise((done) => requestAnimationFrame(done)));
      if (kind === 'pan') {
        const angle = (i / frames) * Math.PI * 2;
        pointer('pointermove', x0 + Math.cos(angle) * 300, y0 + Math.sin(angle) * 200);
      } else {
        const deltaY = i < frames / 2 ? -30 : 30;
        canvas.dispatchEvent(new WheelEvent('wheel', { deltaY, clientX: x0 + 200, clientY: y0, bubbles: true, cancelable: true }));
      }
    }
    stamps.push(await new Promise((done) => requestAnimationFrame(done)));
    if (kind === 'pan') pointer('pointerup', x0, y0);
    return { intervals: stamps.slice(1).map((stamp, index) => stamp - stamps[index]), draws: stats.draws.slice(drawsBefore), scenes: stats.scenes.slice(scenesBefore) };
  }`;
    const drive = async (
      kind: 'pan' | 'zoom',
      frames: number,
    ): Promise<{ intervals: number[]; draws: number[]; scenes: number[] }> =>
      page.evaluate(`(${driver})(${JSON.stringify({ kind, frames })})`);

    const summarise = (result: { intervals: number[]; draws: number[]; scenes: number[] }) => ({
      frames: result.intervals.length,
      frame_p50_ms: round(percentile(result.intervals, 50)),
      frame_p95_ms: round(percentile(result.intervals, 95)),
      frame_max_ms: round(Math.max(...result.intervals)),
      fps: round(1000 / (result.intervals.reduce((sum, value) => sum + value, 0) / result.intervals.length)),
      draw_p50_ms: round(percentile(result.draws, 50)),
      draw_p95_ms: round(percentile(result.draws, 95)),
      draw_max_ms: round(Math.max(0, ...result.draws)),
      scene_redraws: result.scenes.length,
      scene_redraw_max_ms: round(Math.max(0, ...result.scenes)),
    });

    // Warm up (JIT, font caches), then measure: the whole graph in view, then up close.
    await drive('pan', 30);
    const overviewPan = summarise(await drive('pan', 180));
    const overviewZoom = summarise(await drive('zoom', 120));
    await page.getByLabel('Search assets').fill('dimension.payments');
    await page.getByLabel('Search assets').press('Enter');
    await page.waitForTimeout(300);
    const zoom = await page.getByTestId('lineage-canvas').getAttribute('data-view');
    await drive('pan', 30);
    const detailPan = summarise(await drive('pan', 180));
    const detailZoom = summarise(await drive('zoom', 120));

    const result = {
      assets: graph.nodes.length,
      first_render_ms: round(load.firstDrawMs),
      pan_fps: Math.min(overviewPan.fps, detailPan.fps),
      edges: graph.edges.length,
      states: health,
      viewport: '1440x900',
      browser: 'Debian Chromium, headless, --disable-gpu (software rendering)',
      api_assets_ms: load.apiMs === null ? null : round(load.apiMs),
      layout_ms: round(unfoldedLayoutMs),
      folded: {
        nodes_and_tiles: load.nodes,
        layout_ms: round(load.layoutMs),
        smallest_label_px: round(load.smallestLabelPx),
      },
      unfold_all_ms: unfoldMs,
      detail_zoom: Number(zoom?.split(' ')[2] ?? 0),
      overview_pan: overviewPan,
      overview_zoom: overviewZoom,
      detail_pan: detailPan,
      detail_zoom_frames: detailZoom,
    };

    const targets = targetsFor(size);
    const verdict = (value: number, target: number | null) =>
      target === null
        ? `${value} (no target at this size)`
        : `${value} (target ≤ ${target}: ${value <= target ? 'met' : 'MISSED'})`;
    console.log(`assets ${result.assets}, edges ${result.edges}; GET /api/assets ${result.api_assets_ms} ms`);
    console.log(
      `opens folded: ${result.folded.nodes_and_tiles} nodes and tiles laid out in ${result.folded.layout_ms} ms, smallest label ${result.folded.smallest_label_px} px; unfold all ${result.unfold_all_ms} ms`,
    );
    console.log(`layout of every asset ${verdict(result.layout_ms, targets.layout_ms)} ms`);
    console.log(
      `first full render after navigation ${verdict(result.first_render_ms, targets.first_render_ms)} ms`,
    );
    console.log(
      `pan ${result.pan_fps} fps (target ≥ ${TARGETS.pan_fps}: ${result.pan_fps >= TARGETS.pan_fps ? 'met' : 'MISSED'})`,
    );
    for (const [name, phase] of [
      ['overview pan ', overviewPan],
      ['overview zoom', overviewZoom],
      ['detail pan   ', detailPan],
      ['detail zoom  ', detailZoom],
    ] as const) {
      console.log(
        `${name}: ${phase.fps} fps; frame p50 ${phase.frame_p50_ms} ms, p95 ${verdict(phase.frame_p95_ms, TARGETS.frame_p95_ms)} ms, max ${phase.frame_max_ms} ms; draw p50 ${phase.draw_p50_ms} ms, p95 ${verdict(phase.draw_p95_ms, TARGETS.draw_p95_ms)} ms, max ${phase.draw_max_ms} ms; ${phase.scene_redraws} full redraws, slowest ${phase.scene_redraw_max_ms} ms`,
      );
    }
    return result;
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await server.close();
    await test.dispose();
  }
}

const entries = [];
for (const size of SIZES) entries.push(await measure(size));
const headline = entries.at(-1)!;
mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(
  resolve(import.meta.dirname, 'results/ui.json'),
  `${JSON.stringify({ assets: headline.assets, first_render_ms: headline.first_render_ms, pan_fps: headline.pan_fps, entries, targets: Object.fromEntries(SIZES.map((size) => [size, targetsFor(size)])) }, null, 2)}\n`,
);
