import pg from 'pg';

/** Who runs the scheduler: exactly one holder across every process sharing the run storage. */
export interface Leadership {
  /** Takes the lead if nobody holds it; true while this process holds it. */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A PostgreSQL session-level advisory lock on a connection of its own: it is held as long as that
 * session lives, so when the holding process dies (or its connection drops) another takes over.
 */
export class AdvisoryLockLeadership implements Leadership {
  private client: pg.Client | null = null;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly name: string,
  ) {}

  async tryAcquire(): Promise<boolean> {
    if (this.held && this.client) return true;
    try {
      if (!this.client) {
        const client = new pg.Client({
          connectionString: this.url,
          application_name: `vitrina ${this.name}`,
        });
        client.on('error', () => this.drop(client));
        client.on('end', () => this.drop(client));
        await client.connect();
        this.client = client;
      }
      const result = await this.client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as locked',
        [`vitrina:${this.name}`],
      );
      this.held = result.rows[0]?.locked === true;
    } catch {
      if (this.client) this.drop(this.client);
    }
    return this.held;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    if (client) await client.end().catch(() => {});
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.held = false;
    client.end().catch(() => {});
  }
}

/** Embedded storage is opened by one process at a time (a lock file sees to it): it always leads. */
export class SoleLeadership implements Leadership {
  async tryAcquire(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
}
