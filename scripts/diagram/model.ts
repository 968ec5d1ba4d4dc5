/**
 * The architecture diagram as one model: where every box of content.ts sits, left to right — sources,
 * the engine, PostgreSQL stage → dimension → bi, the ClickHouse marts, Superset — and every arrow.
 * render.ts writes docs/architecture.drawio and docs/architecture.svg from it;
 * packages/assets/test/docs/diagram.test.ts checks it against the code location.
 */
import {
  BI,
  CLICKHOUSE,
  type Content,
  DIMENSION,
  ENGINE,
  HEADERS,
  LEGEND,
  MAINTENANCE,
  QUARANTINE,
  SOURCES,
  STAGE,
  SUPERSET,
} from './content.ts';
import {
  type Arrow,
  around,
  type Box,
  type Diagram,
  type End,
  endPoint,
  fractionAt,
  stack,
  textHeight,
} from './layout.ts';

const MARGIN = 16;
/** Room between a container's side and its boxes. */
const INSET = 10;
/** Room between two columns of boxes, for the arrows. */
const GAP = 30;
/** Each column's box width. */
const W = { source: 156, engine: 156, stage: 148, dimension: 148, bi: 172, mart: 164, dashboard: 166 };

/** The boxes of every column start under the tallest container header. */
const top =
  MARGIN +
  Math.ceil(
    Math.max(...Object.values(HEADERS).map((header) => textHeight({ ...header, x: 0, y: 0, w: 0 }))),
  ) +
  8;
const next = (left: number, width: number) => left + width + 2 * INSET + GAP;
const column = (parent: string, x: number, w: number, contents: readonly Content[], gap = 12, y = top) =>
  stack({ x, y, w, gap, parent }, contents);

const sourcesX = MARGIN + INSET;
const sources = column('sources', sourcesX, W.source, SOURCES);

const engineX = next(sourcesX, W.source);
const engine = column('engine', engineX, W.engine, ENGINE);
const executor = engine.find((box) => box.id === 'executor')!;

const stageX = next(engineX, W.engine);
/** As tall as it takes for the executor's load to reach it straight across. */
const stage: Box = { ...STAGE, parent: 'postgres', x: stageX, y: top, w: W.stage, h: executor.y + 40 - top };
const [quarantine] = column('postgres', stageX, W.stage, [QUARANTINE], 12, stage.y + stage.h + 12) as [Box];
const dimensionX = stageX + W.stage + GAP;
const [dimension] = column('postgres', dimensionX, W.dimension, [DIMENSION]) as [Box];
const [bi] = column('postgres', dimensionX + W.dimension + GAP, W.bi, [BI]) as [Box];
const maintenanceY = Math.max(quarantine.y + quarantine.h, dimension.y + dimension.h) + 14;
const [maintenance] = column('postgres', dimensionX, W.dimension, [MAINTENANCE], 12, maintenanceY) as [Box];

const martsX = next(bi.x, W.bi);
const clickhouse = column('clickhouse', martsX, W.mart, CLICKHOUSE, 14);
const [transfer, marts, insights] = clickhouse as [Box, Box, Box];

const supersetX = next(martsX, W.mart);
const superset = column('superset', supersetX, W.dashboard, SUPERSET);
const [dashboards] = superset as [Box];

const children = [
  ...sources,
  ...engine,
  stage,
  quarantine,
  dimension,
  bi,
  maintenance,
  ...clickhouse,
  ...superset,
];
const bottom = Math.max(...children.map((box) => box.y + box.h)) + INSET;
const containers = [
  around(HEADERS.sources, sources, sourcesX - INSET, MARGIN, bottom),
  around(HEADERS.engine, engine, engineX - INSET, MARGIN, bottom),
  around(HEADERS.postgres, [stage, dimension, bi], stageX - INSET, MARGIN, bottom),
  around(HEADERS.clickhouse, clickhouse, martsX - INSET, MARGIN, bottom),
  around(HEADERS.superset, superset, supersetX - INSET, MARGIN, bottom),
];
const width = Math.max(...containers.map((box) => box.x + box.w)) + MARGIN;
const [legend] = stack({ x: MARGIN, y: bottom + 12, w: width - 2 * MARGIN, gap: 0 }, [LEGEND]) as [Box];

const boxes: Box[] = [...containers, ...children, legend];
const byId = new Map(boxes.map((box) => [box.id, box]));
const boxOf = (id: string) => byId.get(id)!;

/** A straight horizontal arrow at height `y` from one box's right side to another's left side. */
function across(id: string, from: string, to: string, y: number, kind: Arrow['kind'] = 'data'): Arrow {
  const right = { box: from, side: 'right', at: fractionAt(boxOf(from), 'right', y) } as const;
  return {
    id,
    from: right,
    to: { box: to, side: 'left', at: fractionAt(boxOf(to), 'left', y) },
    via: [],
    kind,
  };
}

/** A straight vertical arrow at `x` from one box to the box below it (`up`: above it). */
function vertical(id: string, from: string, to: string, x: number, kind: Arrow['kind'], up = false): Arrow {
  const [exit, entry] = up ? (['top', 'bottom'] as const) : (['bottom', 'top'] as const);
  return {
    id,
    from: { box: from, side: exit, at: fractionAt(boxOf(from), exit, x) },
    to: { box: to, side: entry, at: fractionAt(boxOf(to), entry, x) },
    via: [],
    kind,
  };
}

/** An arrow from one side to another that turns twice, running vertically at `x`. */
function elbow(id: string, from: End, to: End, x: number, kind: Arrow['kind']): Arrow {
  const [, fromY] = endPoint(boxOf(from.box), from);
  const [, toY] = endPoint(boxOf(to.box), to);
  return {
    id,
    from,
    to,
    via: [
      [x, fromY],
      [x, toY],
    ],
    kind,
  };
}

const gapAfter = (x: number, w: number) => x + w + (INSET + GAP + INSET) / 2;
/** Where the layers' arrows run from stage to the transfer. */
const spine = top + 30;
const engineMiddle = engineX + W.engine / 2;
const martsMiddle = martsX + W.mart / 2;
const arrows: Arrow[] = [
  // Extraction: every source into the executor along one bus, as the README's sketch draws it.
  ...sources.map((source) =>
    elbow(
      `extract-${source.id}`,
      { box: source.id, side: 'right', at: 0.5 },
      { box: 'executor', side: 'left', at: 0.18 },
      gapAfter(sourcesX, W.source),
      'data',
    ),
  ),
  vertical('graph-planner', 'graph', 'planner', engineMiddle, 'control'),
  vertical('planner-executor', 'planner', 'executor', engineMiddle, 'control'),
  vertical('executor-storage', 'executor', 'storage', engineMiddle, 'control'),
  across('load-stage', 'executor', 'stage', executor.y + 30),
  across('reject-quarantine', 'executor', 'quarantine', quarantine.y + quarantine.h / 2, 'rejects'),
  across('stage-dimension', 'stage', 'dimension', spine),
  across('dimension-bi', 'dimension', 'bi', spine),
  across('bi-transfer', 'bi', 'transfer', spine),
  vertical('transfer-marts', transfer.id, marts.id, martsMiddle, 'data'),
  vertical('marts-insights', marts.id, insights.id, martsMiddle, 'data'),
  across('marts-dashboards', marts.id, dashboards.id, marts.y + 60),
  elbow(
    'insights-dashboards',
    { box: insights.id, side: 'right', at: 0.5 },
    { box: dashboards.id, side: 'left', at: 0.9 },
    gapAfter(martsX, W.mart),
    'data',
  ),
  vertical('cleanup-dimension', maintenance.id, dimension.id, dimensionX + W.dimension / 2, 'control', true),
  elbow(
    'cleanup-stage',
    { box: maintenance.id, side: 'left', at: 0.3 },
    { box: stage.id, side: 'right', at: 0.9 },
    stageX + W.stage + GAP / 2,
    'control',
  ),
];

export const diagram: Diagram = { width, height: legend.y + legend.h + MARGIN, boxes, arrows };
