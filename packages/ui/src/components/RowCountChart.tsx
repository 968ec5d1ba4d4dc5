import type { AssetDetail } from '../api/types.ts';
import { formatNumber, formatTimestamp } from '../lib/format.ts';
import { niceMax, rowSeries } from '../lib/series.ts';

const WIDTH = 900;
const HEIGHT = 220;
const LEFT = 64;
const BOTTOM = 28;
const TOP = 10;

/** Bars of row counts: per day for a daily asset, per materialisation otherwise. */
export function RowCountChart({
  materializations,
  partitioned,
}: {
  materializations: AssetDetail['materializations'];
  partitioned: boolean;
}) {
  const points = rowSeries(materializations, partitioned);
  if (points.length === 0)
    return <p className="muted">No successful materialisation with a row count yet.</p>;
  const top = niceMax(Math.max(...points.map((point) => point.rows)));
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - BOTTOM - TOP;
  const slot = plotWidth / points.length;
  const bar = Math.max(1, Math.min(36, slot * 0.72));
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Row counts of the last ${points.length} ${partitioned ? 'days' : 'materialisations'}`}
      >
        {[0, 0.25, 0.5, 0.75, 1].map((fraction) => {
          const y = TOP + plotHeight * (1 - fraction);
          return (
            <g key={fraction}>
              <line x1={LEFT} x2={WIDTH - 8} y1={y} y2={y} className="gridline" />
              <text x={LEFT - 8} y={y + 4} textAnchor="end" className="axis-label">
                {formatNumber(top * fraction)}
              </text>
            </g>
          );
        })}
        {points.map((point, index) => {
          const height = (point.rows / top) * plotHeight;
          const x = LEFT + slot * index + (slot - bar) / 2;
          return (
            <g key={`${point.label}-${point.at}`}>
              <rect
                x={x}
                y={TOP + plotHeight - height}
                width={bar}
                height={Math.max(height, 1)}
                rx={2}
                className="bar"
              >
                <title>{`${point.label}: ${formatNumber(point.rows)} rows (materialised ${formatTimestamp(point.at)})`}</title>
              </rect>
              {index % labelEvery === 0 ? (
                <text x={x + bar / 2} y={HEIGHT - 8} textAnchor="middle" className="axis-label">
                  {partitioned ? point.label.slice(5) : point.label.slice(5, 16)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {partitioned ? 'Rows per day (latest materialisation of each day).' : 'Rows at each materialisation.'}
      </figcaption>
    </figure>
  );
}
