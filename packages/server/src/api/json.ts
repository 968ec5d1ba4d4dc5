/** What a value looks like after JSON serialisation: dates become ISO strings. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends Array<infer Item>
    ? Jsonified<Item>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Converts dates to ISO strings, deeply, so responses match their zod schemas exactly. */
export function jsonify<T>(value: T): Jsonified<T> {
  if (value instanceof Date) return value.toISOString() as Jsonified<T>;
  if (Array.isArray(value)) return value.map(jsonify) as Jsonified<T>;
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = jsonify(item);
    return result as Jsonified<T>;
  }
  return value as Jsonified<T>;
}
