/** Counts running steps per named pool against their sizes; a pool without a size is unbounded. */
export class PoolLimits {
  private readonly running = new Map<string, number>();

  constructor(private readonly sizes: Readonly<Record<string, number>>) {}

  hasRoom(pool: string): boolean {
    return (this.running.get(pool) ?? 0) < (this.sizes[pool] ?? Number.POSITIVE_INFINITY);
  }

  take(pool: string): void {
    this.running.set(pool, (this.running.get(pool) ?? 0) + 1);
  }

  give(pool: string): void {
    this.running.set(pool, (this.running.get(pool) ?? 1) - 1);
  }
}
