import type { RunEvent, RunEventType, Step, WriteBatch } from '../storage/records.ts';
import type { WriteBuffer } from '../storage/writeBuffer.ts';
import type { RunEventBus } from './eventBus.ts';

/**
 * Everything one run records: events reach the bus at once and storage, with the steps and the
 * materialisations, in the write buffer's batches.
 */
export class RunLog {
  private seq = 0;

  constructor(
    readonly runId: string,
    readonly now: () => Date,
    private readonly buffer: WriteBuffer,
    private readonly bus: RunEventBus | undefined,
  ) {}

  emit(type: RunEventType, step: Step | null, message: string | null, data: RunEvent['data']): void {
    const event: RunEvent = {
      runId: this.runId,
      seq: ++this.seq,
      type,
      assetKey: step?.assetKey ?? null,
      partition: step?.partition ?? null,
      at: this.now(),
      message,
      data,
    };
    this.buffer.add({ events: [event] });
    this.bus?.publish(event);
  }

  /** Stores the step as it is now (a copy: the live one keeps changing). */
  saveStep(step: Step): void {
    this.buffer.add({ steps: [{ ...step }] });
  }

  write(batch: Partial<WriteBatch>): void {
    this.buffer.add(batch);
  }

  flush(): Promise<void> {
    return this.buffer.flush();
  }
}
