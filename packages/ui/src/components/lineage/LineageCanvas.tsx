import { type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { groupIdOfTile, isTile } from '../../lib/collapse.ts';
import { boxHeaderAt, type LayoutNode, NODE_HEIGHT, NODE_WIDTH, nodeAt } from '../../lib/layout.ts';
import { stateSentence, stateStyles } from '../../lib/status.ts';
import { clampZoom, fitView, type View, zoomAround } from '../../lib/view.ts';
import type { DrawProps } from './draw.ts';
import { render, type SceneCache, SETTLE_MS } from './scene.ts';
import { lineageStats } from './stats.ts';

export interface LineageHandle {
  fit: () => void;
  zoomBy: (factor: number) => void;
  centerOn: (key: string, zoom?: number) => void;
}

export interface LineageCanvasProps extends DrawProps {
  /** Per drawn key: why it has its state, for the tooltip. */
  reasons: ReadonlyMap<string, string | null>;
  /** The view is fitted again when this changes (another focus), not when groups fold or unfold. */
  fitKey: string;
  onSelect: (key: string | null, additive: boolean) => void;
  onOpen: (key: string) => void;
  /** A group's title (or its folded tile) was clicked. */
  onToggleGroup: (boxId: string) => void;
  ref?: Ref<LineageHandle>;
}

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
  const fitted = useRef<string | null>(null);
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
      if (fitted.current !== propsRef.current.fitKey && rect.width > 0) {
        fitted.current = propsRef.current.fitKey;
        view.current = fitView(propsRef.current.layout, rect.width, rect.height);
      }
      requestDraw();
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [requestDraw]);

  // Another focus (or another graph) is fitted; folding a group or anything else just redraws.
  useEffect(() => {
    if (fitted.current !== props.fitKey && size.current.width > 0) {
      fitted.current = props.fitKey;
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
    /** The collapsible group whose title is under the pointer. */
    const header = (event: MouseEvent): string | null => {
      const point = local(event);
      const { x, y, k } = view.current;
      const box = boxHeaderAt(propsRef.current.layout, (point.x - x) / k, (point.y - y) / k);
      return box && propsRef.current.boxes.get(box.id)?.collapsible ? box.id : null;
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
      canvas.style.cursor = node || header(event) ? 'pointer' : 'grab';
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
      if (node && isTile(node.key)) return propsRef.current.onToggleGroup(groupIdOfTile(node.key));
      const group = node ? null : header(event);
      if (group) return propsRef.current.onToggleGroup(group);
      propsRef.current.onSelect(node?.key ?? null, event.shiftKey || event.metaKey || event.ctrlKey);
    };
    const onDouble = (event: MouseEvent) => {
      const node = hit(event);
      if (node && !isTile(node.key)) propsRef.current.onOpen(node.key);
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
        aria-label="Asset lineage graph. Drag to pan, scroll to zoom, click to select, double-click to open, click a group's title to fold or unfold it; arrows pan, + and − zoom, 0 fits."
        onKeyDown={onKey}
        data-testid="lineage-canvas"
      />
      {hover && hovered && isTile(hover.key) ? (
        <div className="lineage-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} role="tooltip">
          <strong className="tooltip-key">
            {layout.boxes.find((box) => box.id === groupIdOfTile(hover.key))?.label ?? hover.key}
          </strong>
          <span>{props.subtitles.get(hover.key)}</span>
          <span className="muted">Click to show its assets</span>
        </div>
      ) : hover && hovered ? (
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
