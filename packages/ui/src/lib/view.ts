/** The lineage's view: a translation (x, y) in screen pixels and a zoom factor k. */
export interface View {
  x: number;
  y: number;
  k: number;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 2.5;

export function clampZoom(k: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));
}

/** Zooms by `factor` keeping the graph point under (px, py) where it is on screen. */
export function zoomAround(view: View, factor: number, px: number, py: number): View {
  const k = clampZoom(view.k * factor);
  const scale = k / view.k;
  return { k, x: px - (px - view.x) * scale, y: py - (py - view.y) * scale };
}

/** The view showing the whole graph centred, with a margin, never magnified beyond 1. */
export function fitView(
  graph: { width: number; height: number },
  width: number,
  height: number,
  margin = 32,
): View {
  const k = clampZoom(
    Math.min(
      1,
      (width - margin * 2) / Math.max(1, graph.width),
      (height - margin * 2) / Math.max(1, graph.height),
    ),
  );
  return { k, x: (width - graph.width * k) / 2, y: (height - graph.height * k) / 2 };
}
