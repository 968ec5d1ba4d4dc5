/** Terminal formatting: colours only on a TTY without NO_COLOR, aligned tables, durations. */
const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

const code = (open: number, close: number) => (text: string) =>
  useColour ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const colour = {
  bold: code(1, 22),
  dim: code(2, 22),
  red: code(31, 39),
  green: code(32, 39),
  yellow: code(33, 39),
  blue: code(34, 39),
  magenta: code(35, 39),
  cyan: code(36, 39),
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape codes is the point.
const ansi = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string) => text.replace(ansi, '').length;

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [colour.bold(line(header)), ...rows.map(line)].join('\n');
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export function timestamp(date: Date | null): string {
  if (!date) return '—';
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

export function ago(date: Date | null, now = new Date()): string {
  if (!date) return 'never';
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}

export function stepLabel(assetKey: string, partition: string | null): string {
  return partition ? `${assetKey}[${partition}]` : assetKey;
}

const statusColours: Record<string, (text: string) => string> = {
  success: colour.green,
  fresh: colour.green,
  failed: colour.red,
  blocked: colour.magenta,
  cancelled: colour.yellow,
  overdue: colour.yellow,
  stale: colour.yellow,
  running: colour.cyan,
  queued: colour.dim,
  never: colour.dim,
  external: colour.blue,
};

export function status(text: string): string {
  return (statusColours[text] ?? ((value: string) => value))(text);
}
