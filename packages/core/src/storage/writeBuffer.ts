import { emptyBatch, type WriteBatch } from './records.ts';
import type { RunStorage } from './runStorage.ts';

/**
 * Collects run progress and writes it in batches (one transaction per flush), so recording a step
 * costs a fraction of a round trip. Listeners see events at once through the event bus; storage
 * trails by at most `intervalMs`. A failed write is kept and re-thrown by the next flush.
 */
export class WriteBuffer {
  private pending: WriteBatch = emptyBatch();
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly storage: RunStorage,
    private readonly intervalMs = 25,
    private readonly maxPending = 5000,
  ) {}

  add(part: Partial<WriteBatch>): void {
    for (const [name, rows] of Object.entries(part) as Array<[keyof WriteBatch, unknown[]]>) {
      (this.pending[name] as unknown[]).push(...rows);
      this.size += rows.length;
    }
    if (this.size >= this.maxPending) void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.intervalMs);
  }

  /** Writes everything added so far; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    const hasRows = this.size > 0;
    this.pending = emptyBatch();
    this.size = 0;
    this.inFlight = this.inFlight.then(async () => {
      if (this.failure) throw this.failure;
      if (!hasRows) return;
      try {
        await this.storage.write(batch);
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    return this.inFlight;
  }
}
