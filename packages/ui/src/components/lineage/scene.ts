/**
 * The lineage's frames: the drawn graph is kept in an offscreen canvas bigger than the screen, so a
 * pan only moves it and a wheel zoom scales it until the wheel rests; the overlay (matches, the
 * selection, running borders) is drawn on top every frame.
 */
import type { Layout } from '../../lib/layout.ts';
import type { NodeState } from '../../lib/status.ts';
import type { View } from '../../lib/view.ts';
import { type BoxSummary, type DrawProps, drawOverlay, drawScene, palette } from './draw.ts';
import { lineageStats } from './stats.ts';

/** The drawn graph (boxes, edges, nodes) kept in a bigger offscreen canvas: panning only moves it. */
export interface SceneCache {
  canvas: HTMLCanvasElement;
  /** The view it was drawn for (its pixel (MARGIN, MARGIN) is the screen's (0, 0) then). */
  view: View;
  width: number;
  height: number;
  ratio: number;
  /** What it shows: the same objects mean the same picture. */
  layout: Layout;
  states: ReadonlyMap<string, NodeState>;
  subtitles: ReadonlyMap<string, string>;
  boxes: ReadonlyMap<string, BoxSummary>;
  related: ReadonlySet<string> | null;
  running: boolean;
}

/** Extra CSS pixels drawn around the screen, so a pan reuses the scene until it moves this far. */
const MARGIN = 360;
/** How long after the last wheel event a zoom counts as over (and the scene is drawn sharp). */
export const SETTLE_MS = 140;

/**
 * Draws one frame: reuses the scene when only the position changed (a blit), scales it while the
 * wheel zooms, draws it again otherwise; then the overlay (search matches, the selection, running
 * nodes' moving borders) on top.
 */
export function render(
  canvas: HTMLCanvasElement,
  props: DrawProps,
  view: View,
  size: { width: number; height: number },
  options: {
    textCache: Map<string, string>;
    scene: SceneCache | null;
    setScene: (scene: SceneCache) => void;
    zooming: boolean;
    time: number;
  },
): { animate: boolean; scaled: boolean } {
  const context = canvas.getContext('2d', { alpha: false });
  if (!context) return { animate: false, scaled: false };
  const ratio = canvas.width / Math.max(1, size.width);
  let scene = options.scene;
  const same =
    scene !== null &&
    scene.layout === props.layout &&
    scene.states === props.states &&
    scene.subtitles === props.subtitles &&
    scene.boxes === props.boxes &&
    scene.related === props.related &&
    scene.width === size.width &&
    scene.height === size.height &&
    scene.ratio === ratio;
  const dx = scene ? view.x - scene.view.x : 0;
  const dy = scene ? view.y - scene.view.y : 0;
  let scaled = false;
  if (same && scene && scene.view.k !== view.k && options.zooming) {
    scaled = true;
  } else if (!same || !scene || scene.view.k !== view.k || Math.abs(dx) > MARGIN || Math.abs(dy) > MARGIN) {
    const offscreen = scene?.canvas ?? document.createElement('canvas');
    const width = Math.round((size.width + MARGIN * 2) * ratio);
    const height = Math.round((size.height + MARGIN * 2) * ratio);
    if (offscreen.width !== width) offscreen.width = width;
    if (offscreen.height !== height) offscreen.height = height;
    const sceneView = { x: view.x, y: view.y, k: view.k };
    const started = performance.now();
    const running = drawScene(
      offscreen,
      props,
      { x: view.x + MARGIN, y: view.y + MARGIN, k: view.k },
      ratio,
      options.textCache,
    );
    const scenes = lineageStats().scenes;
    scenes.push(performance.now() - started);
    if (scenes.length > 500) scenes.splice(0, 250);
    scene = {
      canvas: offscreen,
      view: sceneView,
      width: size.width,
      height: size.height,
      ratio,
      layout: props.layout,
      states: props.states,
      subtitles: props.subtitles,
      boxes: props.boxes,
      related: props.related,
      running,
    };
    options.setScene(scene);
  }

  context.setTransform(1, 0, 0, 1, 0, 0);
  context.fillStyle = palette.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  // Screen = graph * k + x; the scene holds graph * k0 + x0 + MARGIN. So screen = (scene - MARGIN - x0) * k / k0 + x.
  const scale = view.k / scene.view.k;
  context.drawImage(
    scene.canvas,
    ((-MARGIN - scene.view.x) * scale + view.x) * ratio,
    ((-MARGIN - scene.view.y) * scale + view.y) * ratio,
    scene.canvas.width * scale,
    scene.canvas.height * scale,
  );
  context.setTransform(ratio * view.k, 0, 0, ratio * view.k, ratio * view.x, ratio * view.y);
  drawOverlay(context, props, view, size, options.time);
  return { animate: scene.running && !scaled, scaled };
}
