/** Draw timings and what the last scene labelled, readable from the console, the browser tests and the benchmark. */
export interface LineageStats {
  layoutMs: number;
  nodes: number;
  /** Milliseconds each frame took to draw (the last thousand or so). */
  draws: number[];
  /** performance.now() when the first frame was drawn. */
  firstDrawAt: number | null;
  /** Milliseconds each full redraw of the scene took (the frames between are blits). */
  scenes: number[];
  /** The texts the last scene drew on screen, with their height in screen pixels. */
  labels: DrawnLabel[];
  /** The level of detail the last scene drew nodes at. */
  detail: 'full' | 'names' | 'blocks' | null;
}

export interface DrawnLabel {
  kind: 'box' | 'node' | 'tile';
  /** The box id or node key the text belongs to. */
  of: string;
  text: string;
  px: number;
}

declare global {
  interface Window {
    vitrinaLineage?: LineageStats;
  }
}

/** The page's lineage timings, created on first use. */
export function lineageStats(): LineageStats {
  if (!window.vitrinaLineage)
    window.vitrinaLineage = {
      layoutMs: 0,
      nodes: 0,
      draws: [],
      firstDrawAt: null,
      scenes: [],
      labels: [],
      detail: null,
    };
  return window.vitrinaLineage;
}
