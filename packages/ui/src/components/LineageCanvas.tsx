import { type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { type Layout, type LayoutNode, NODE_HEIGHT, NODE_WIDTH, nodeAt } from '../lib/layout.ts';
import { type NodeState, stateSentence, stateStyles } from '../lib/status.ts';
import { clampZoom, fitView, type View, zoomAround } from '../lib/view.ts';

export interface LineageHandle {
  fit: () => void;
  zoomBy: (factor: number) => void;
  centerOn: (key: string, zoom?: number) => void;
}

export interface LineageCanvasProps {
  layout: Layout;
  states: ReadonlyMap<string, NodeState>;
  reasons: ReadonlyMap<string, string | null>;
  subtitles: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  matches: ReadonlySet<string>;
  /** When set, everything outside it is dimmed (the selection's lineage). */
  related: ReadonlySet<string> | null;
  onSelect: (key: string | null, additive: boolean) => void;
  onOpen: (key: string) => void;
  ref?: Ref<LineageHandle>;
}

/** Draw timings, readable from the console (and by the lineage benchmark). */
export interface LineageStats {
  layoutMs: number;
  nodes: number;
  /** Milliseconds each frame took to draw (the last thousand or so). */
  draws: number[];
  /** performance.now() when the first frame was drawn. */
  firstDrawAt: number | null;
  /** Milliseconds each full redraw of the scene took (the frames between are blits). */
  scenes: number[];
}

declare global {
  interface Window {
    vitrinaLineage?: LineageStats;
  }
}

/** The page's lineage timings, created on first use. */
export function lineageStats(): LineageStats {
  if (!window.vitrinaLineage)
    window.vitrinaLineage = { layoutMs: 0, nodes: 0, draws: [], firstDrawAt: null, scenes: [] };
  return window.vitrinaLineage;
}

const palette = {
  background: '#f6f7f9',
  grid: '#e9ecf1',
  boxFill: '#fbfcfd',
  boxStroke: '#d5dbe3',
  boxLabel: '#475569',
  nodeStroke: '#cbd5e1',
  text: '#0f172a',
  subtext: '#64748b',
  edge: 'rgba(100,116,139,0.42)',
  edgeDim: 'rgba(148,163,184,0.14)',
  edgeHot: '#2563eb',
  selection: '#2563eb',
  match: '#f59e0b',
};

/** Below this zoom, nodes are drawn as solid blocks of their state's colour and text is left out. */
const DETAIL_ZOOM = 0.38;
const FONT = '600 13px Inter, "Segoe UI", system-ui, sans-serif';
const SMALL_FONT = '12px Inter, "Segoe UI", system-ui, sans-serif';
const BOX_FONT = '700 13px Inter, "Segoe UI", system-ui, sans-serif';

/**
 * The lineage on a canvas: thousands of nodes stay smooth because a frame draws only what is in view,
 * batches edges into one path per style, and drops text when it would be unreadable anyway.
 */
export function LineageCanvas(props: LineageCanvasProps) {
  const { layout, ref } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef<View>({ x: 0, y: 0, k: 1 });
  const size = useRef({ width: 0, height: 0 });
  const propsRef = useRef(props);
  propsRef.current = props;
  const frame = useRef<number | null>(null);
  const fitted = useRef<Layout | null>(null);
  const textCache = useRef(new Map<string, string>());
  const scene = useRef<SceneCache | null>(null);
  const lastZoomAt = useRef(0);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [hover, setHover] = useState<{ key: string; x: number; y: number } | null>(null);

  const draw = useCallback((time: number) => {
    frame.current = null;
    const canvas = canvasRef.current;
    // Nothing to draw until the canvas has been measured (its default 300×150 is not its size).
    if (!canvas || size.current.width === 0 || size.current.height === 0) return;
    const started = performance.now();
    const zooming = performance.now() - lastZoomAt.current < SETTLE_MS;
    const { animate, scaled } = render(canvas, propsRef.current, view.current, size.current, {
      textCache: textCache.current,
      scene: scene.current,
      setScene: (next) => {
        scene.current = next;
      },
      zooming,
      time,
    });
    if (scaled) {
      // Zooming shows the last frame scaled; once the wheel rests, draw it sharp.
      if (settle.current) clearTimeout(settle.current);
      settle.current = setTimeout(() => {
        settle.current = null;
        if (frame.current === null) frame.current = requestAnimationFrame(draw);
      }, SETTLE_MS + 10);
    }
    const stats = lineageStats();
    const finished = performance.now();
    stats.draws.push(finished - started);
    stats.firstDrawAt ??= finished;
    if (stats.draws.length > 2000) stats.draws.splice(0, 1000);
    canvas.dataset.view = `${view.current.x.toFixed(1)} ${view.current.y.toFixed(1)} ${view.current.k.toFixed(4)}`;
    if (animate) frame.current = requestAnimationFrame(draw);
  }, []);

  const requestDraw = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  const fit = useCallback(() => {
    view.current = fitView(propsRef.current.layout, size.current.width, size.current.height);
    requestDraw();
  }, [requestDraw]);

  useImperativeHandle(
    ref,
    () => ({
      fit,
      zoomBy: (factor: number) => {
        lastZoomAt.current = 0;
        view.current = zoomAround(view.current, factor, size.current.width / 2, size.current.height / 2);
        requestDraw();
      },
      centerOn: (key: string, zoom?: number) => {
        const node = propsRef.current.layout.byKey.get(key);
        if (!node) return;
        const k = clampZoom(zoom ?? Math.max(view.current.k, 0.8));
        view.current = {
          k,
          x: size.current.width / 2 - (node.x + NODE_WIDTH / 2) * k,
          y: size.current.height / 2 - (node.y + NODE_HEIGHT / 2) * k,
        };
        requestDraw();
      },
    }),
    [fit, requestDraw],
  );

  // Size the canvas to its box (at the screen's pixel ratio); fit the graph the first time.
  useEffect(() => {
    const canvas = canvasRef.current!;
    const observer = new ResizeObserver(() => {
      const rect = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      size.current = { width: rect.width, height: rect.height };
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      if (fitted.current !== propsRef.current.layout && rect.width > 0) {
        fitted.current = propsRef.current.layout;
        view.current = fitView(propsRef.current.layout, rect.width, rect.height);
      }
      requestDraw();
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [requestDraw]);

  // A new layout (another focus, a changed graph) is fitted; anything else just redraws.
  useEffect(() => {
    if (fitted.current !== layout && size.current.width > 0) {
      fitted.current = layout;
      view.current = fitView(layout, size.current.width, size.current.height);
    }
    requestDraw();
  });

  useEffect(
    () => () => {
      // (StrictMode unmounts and mounts again: a cancelled frame must not look pending.)
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      if (settle.current) clearTimeout(settle.current);
    },
    [],
  );

  // Pointer: drag pans, click selects (shift/ctrl/⌘ adds), double click opens, wheel zooms at the cursor.
  useEffect(() => {
    const canvas = canvasRef.current!;
    let down: { x: number; y: number; view: View; moved: boolean } | null = null;
    const local = (event: MouseEvent) => {
      const rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    };
    const hit = (event: MouseEvent): LayoutNode | null => {
      const point = local(event);
      const { x, y, k } = view.current;
      return nodeAt(propsRef.current.layout, (point.x - x) / k, (point.y - y) / k);
    };
    const onDown = (event: PointerEvent) => {
      if (event.button !== 0) return;
      try {
        canvas.setPointerCapture(event.pointerId);
      } catch {
        // a synthetic pointer (tests, benchmarks) cannot be captured; dragging works without it
      }
      down = { ...local(event), view: view.current, moved: false };
    };
    const onMove = (event: PointerEvent) => {
      if (down) {
        const point = local(event);
        const dx = point.x - down.x;
        const dy = point.y - down.y;
        if (!down.moved && Math.hypot(dx, dy) < 4) return;
        down.moved = true;
        view.current = { ...down.view, x: down.view.x + dx, y: down.view.y + dy };
        canvas.style.cursor = 'grabbing';
        setHover(null);
        requestDraw();
        return;
      }
      const node = hit(event);
      canvas.style.cursor = node ? 'pointer' : 'grab';
      const point = local(event);
      setHover((previous) =>
        node ? { key: node.key, x: point.x, y: point.y } : previous === null ? previous : null,
      );
    };
    const onUp = (event: PointerEvent) => {
      if (!down) return;
      const wasDrag = down.moved;
      down = null;
      canvas.style.cursor = 'grab';
      if (wasDrag) return;
      const node = hit(event);
      propsRef.current.onSelect(node?.key ?? null, event.shiftKey || event.metaKey || event.ctrlKey);
    };
    const onDouble = (event: MouseEvent) => {
      const node = hit(event);
      if (node) propsRef.current.onOpen(node.key);
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const point = local(event);
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      lastZoomAt.current = performance.now();
      view.current = zoomAround(view.current, Math.exp(-delta * 0.0015), point.x, point.y);
      setHover(null);
      requestDraw();
    };
    const onLeave = () => setHover(null);
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('dblclick', onDouble);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerleave', onLeave);
    return () => {
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('dblclick', onDouble);
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerleave', onLeave);
    };
  }, [requestDraw]);

  const onKey = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    const step = 80;
    const pan = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[
      event.key
    ];
    if (pan) {
      view.current = { ...view.current, x: view.current.x + pan[0]!, y: view.current.y + pan[1]! };
    } else if (event.key === '+' || event.key === '=') {
      view.current = zoomAround(view.current, 1.25, size.current.width / 2, size.current.height / 2);
    } else if (event.key === '-') {
      view.current = zoomAround(view.current, 0.8, size.current.width / 2, size.current.height / 2);
    } else if (event.key === '0') {
      fit();
      return;
    } else if (event.key === 'Enter' && props.selected.size === 1) {
      props.onOpen([...props.selected][0]!);
      return;
    } else if (event.key === 'Escape') {
      props.onSelect(null, false);
      return;
    } else return;
    event.preventDefault();
    requestDraw();
  };

  const hovered = hover ? props.states.get(hover.key) : undefined;
  return (
    <div className="lineage-canvas">
      <canvas
        ref={canvasRef}
        tabIndex={0}
        aria-label="Asset lineage graph. Drag to pan, scroll to zoom, click to select, double-click to open; arrows pan, + and − zoom, 0 fits."
        onKeyDown={onKey}
        data-testid="lineage-canvas"
      />
      {hover && hovered ? (
        <div className="lineage-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} role="tooltip">
          <strong className="tooltip-key">{hover.key}</strong>
          <span style={{ color: stateStyles[hovered].colour }}>
            {stateStyles[hovered].glyph} {stateSentence(hovered, props.reasons.get(hover.key) ?? null)}
          </span>
        </div>
      ) : null}
    </div>
  );
}

/** The drawn graph (boxes, edges, nodes) kept in a bigger offscreen canvas: panning only moves it. */
interface SceneCache {
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
  related: ReadonlySet<string> | null;
  running: boolean;
}

/** Extra CSS pixels drawn around the screen, so a pan reuses the scene until it moves this far. */
const MARGIN = 360;
/** How long after the last wheel event a zoom counts as over (and the scene is drawn sharp). */
const SETTLE_MS = 140;

/**
 * Draws one frame: reuses the scene when only the position changed (a blit), scales it while the
 * wheel zooms, draws it again otherwise; then the overlay (search matches, the selection, running
 * nodes' moving borders) on top.
 */
function render(
  canvas: HTMLCanvasElement,
  props: LineageCanvasProps,
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

/** The graph itself into `canvas` at `view`; returns whether a running node is in it. */
function drawScene(
  canvas: HTMLCanvasElement,
  props: LineageCanvasProps,
  view: View,
  ratio: number,
  textCache: Map<string, string>,
): boolean {
  const context = canvas.getContext('2d', { alpha: false })!;
  const width = canvas.width / ratio;
  const height = canvas.height / ratio;
  const { layout, states, related, subtitles } = props;
  const { x, y, k } = view;

  context.setTransform(1, 0, 0, 1, 0, 0);
  context.fillStyle = palette.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.setTransform(ratio * k, 0, 0, ratio * k, ratio * x, ratio * y);

  // The part of the graph's plane this canvas covers, with a margin.
  const left = -x / k - 20;
  const top = -y / k - 20;
  const right = (width - x) / k + 20;
  const bottom = (height - y) / k + 20;
  const detailed = k >= DETAIL_ZOOM;

  // Group boxes.
  context.lineWidth = 1 / k;
  for (const box of layout.boxes) {
    if (box.x > right || box.x + box.width < left || box.y > bottom || box.y + box.height < top) continue;
    context.fillStyle = palette.boxFill;
    context.strokeStyle = palette.boxStroke;
    context.beginPath();
    context.roundRect(box.x, box.y, box.width, box.height, 10);
    context.fill();
    context.stroke();
    if (k > 0.12) {
      context.fillStyle = palette.boxLabel;
      const scale = Math.max(1, 0.9 / k);
      context.save();
      context.translate(box.x + 14, box.y + 20 * Math.min(scale, 1.6));
      context.scale(Math.min(scale, 1.6), Math.min(scale, 1.6));
      context.font = BOX_FONT;
      context.fillText(`${box.label.toUpperCase()}  ·  ${box.count}`, 0, 0);
      context.restore();
    }
  }

  // Edges, batched: normal, dimmed (outside the selection's lineage) and highlighted.
  const normal = new Path2D();
  const dim = new Path2D();
  const hot = new Path2D();
  for (const edge of layout.edges) {
    const x1 = edge.from.x + NODE_WIDTH;
    const y1 = edge.from.y + NODE_HEIGHT / 2;
    const x2 = edge.to.x;
    const y2 = edge.to.y + NODE_HEIGHT / 2;
    if (Math.max(x1, x2) < left || Math.min(x1, x2) > right) continue;
    if (Math.max(y1, y2) < top || Math.min(y1, y2) > bottom) continue;
    const path = related ? (related.has(edge.from.key) && related.has(edge.to.key) ? hot : dim) : normal;
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    path.moveTo(x1, y1);
    path.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
  }
  context.lineWidth = Math.max(1, 1.2 / k);
  context.strokeStyle = palette.edgeDim;
  context.stroke(dim);
  context.strokeStyle = palette.edge;
  context.stroke(normal);
  context.lineWidth = Math.max(1.8, 2 / k);
  context.strokeStyle = palette.edgeHot;
  context.stroke(hot);

  // Nodes.
  let runningInView = false;
  const visible: LayoutNode[] = [];
  for (const node of layout.nodes) {
    if (node.x > right || node.x + NODE_WIDTH < left || node.y > bottom || node.y + NODE_HEIGHT < top)
      continue;
    visible.push(node);
  }
  if (!detailed) {
    // Overview: solid blocks batched by colour.
    const byColour = new Map<string, Path2D>();
    const faded = new Map<string, Path2D>();
    for (const node of visible) {
      const state = states.get(node.key) ?? 'never';
      if (state === 'running') runningInView = true;
      const bucket = related && !related.has(node.key) ? faded : byColour;
      const colour = stateStyles[state].colour;
      let path = bucket.get(colour);
      if (!path) {
        path = new Path2D();
        bucket.set(colour, path);
      }
      path.rect(node.x, node.y, NODE_WIDTH, NODE_HEIGHT);
    }
    context.globalAlpha = 0.2;
    for (const [colour, path] of faded) {
      context.fillStyle = colour;
      context.fill(path);
    }
    context.globalAlpha = 1;
    for (const [colour, path] of byColour) {
      context.fillStyle = colour;
      context.fill(path);
    }
  } else {
    for (const node of visible) {
      const state = states.get(node.key) ?? 'never';
      const style = stateStyles[state];
      if (state === 'running') runningInView = true;
      context.globalAlpha = related && !related.has(node.key) ? 0.28 : 1;
      context.fillStyle = style.tint;
      context.beginPath();
      context.roundRect(node.x, node.y, NODE_WIDTH, NODE_HEIGHT, 7);
      context.fill();
      context.lineWidth = 1;
      context.strokeStyle = state === 'never' ? palette.nodeStroke : style.colour;
      if (state === 'never') context.setLineDash([4, 3]);
      else if (state === 'running') context.lineWidth = 2;
      context.stroke();
      context.setLineDash([]);
      // The state stripe on the left edge, then the glyph and the text.
      context.fillStyle = style.colour;
      context.beginPath();
      context.roundRect(node.x, node.y, 6, NODE_HEIGHT, [7, 0, 0, 7]);
      context.fill();
      context.font = FONT;
      context.fillStyle = style.colour;
      context.fillText(style.glyph, node.x + 13, node.y + 19);
      context.fillStyle = palette.text;
      context.fillText(
        fitText(context, node.key, NODE_WIDTH - 44, textCache, FONT),
        node.x + 31,
        node.y + 19,
      );
      context.font = SMALL_FONT;
      context.fillStyle = palette.subtext;
      const subtitle = subtitles.get(node.key) ?? style.label;
      context.fillText(
        fitText(context, subtitle, NODE_WIDTH - 24, textCache, SMALL_FONT),
        node.x + 13,
        node.y + 36,
      );
    }
    context.globalAlpha = 1;
  }

  return runningInView;
}

/** What changes without the graph changing: search matches, the selection, running nodes' moving borders. */
function drawOverlay(
  context: CanvasRenderingContext2D,
  props: LineageCanvasProps,
  view: View,
  size: { width: number; height: number },
  time: number,
) {
  const { layout, states, selected, matches } = props;
  const k = view.k;
  const outline = (keys: ReadonlySet<string>, colour: string, width: number) => {
    if (keys.size === 0) return;
    context.strokeStyle = colour;
    context.lineWidth = Math.max(width, (width * 0.8) / k);
    const path = new Path2D();
    for (const key of keys) {
      const node = layout.byKey.get(key);
      if (!node) continue;
      const pad = 3 + context.lineWidth / 2;
      path.rect(node.x - pad, node.y - pad, NODE_WIDTH + pad * 2, NODE_HEIGHT + pad * 2);
    }
    context.stroke(path);
  };
  outline(matches, palette.match, 2);
  outline(selected, palette.selection, 2.5);
  // Running nodes: a border that moves, so progress is visible at a glance.
  const left = -view.x / k;
  const top = -view.y / k;
  const right = (size.width - view.x) / k;
  const bottom = (size.height - view.y) / k;
  context.setLineDash([8, 6]);
  context.lineDashOffset = -time / 30;
  context.strokeStyle = stateStyles.running.colour;
  context.lineWidth = Math.max(2.5, 2.5 / k);
  const path = new Path2D();
  for (const [key, state] of states) {
    if (state !== 'running') continue;
    const node = layout.byKey.get(key);
    if (
      !node ||
      node.x > right ||
      node.x + NODE_WIDTH < left ||
      node.y > bottom ||
      node.y + NODE_HEIGHT < top
    )
      continue;
    path.rect(node.x - 2, node.y - 2, NODE_WIDTH + 4, NODE_HEIGHT + 4);
  }
  context.stroke(path);
  context.setLineDash([]);
}

/** The text cut with an ellipsis to fit `width` pixels (cached: measuring is the slow part). */
function fitText(
  context: CanvasRenderingContext2D,
  text: string,
  width: number,
  cache: Map<string, string>,
  font: string,
): string {
  const id = `${font}|${width}|${text}`;
  const known = cache.get(id);
  if (known !== undefined) return known;
  let result = text;
  if (context.measureText(text).width > width) {
    let low = 0;
    let high = text.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (context.measureText(`${text.slice(0, middle)}…`).width <= width) low = middle;
      else high = middle - 1;
    }
    result = `${text.slice(0, low)}…`;
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(id, result);
  return result;
}
