import { previousTick } from '../definitions/cron.ts';
import type { Location, ScheduleDefinition } from '../definitions/location.ts';
import { errorMessage } from '../errors.ts';
import type { RunLauncher } from '../executor/launcher.ts';
import { recoverDeadRuns } from '../executor/recovery.ts';
import type { AssetGraph } from '../graph/assetGraph.ts';
import { evaluateFreshness } from '../planner/freshness.ts';
import type { Plan } from '../planner/plan.ts';
import { indexStates, planRun } from '../planner/planner.ts';
import type { Leadership } from '../storage/leadership.ts';
import type { RunTrigger, ScheduleTick } from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';

export interface SchedulerOptions<R> {
  location: Location<R>;
  storage: RunStorage;
  launcher: RunLauncher<R>;
  leadership: Leadership;
  /** The clock; tests pass their own. */
  now?: () => Date;
  intervalMs?: number;
}

/**
 * The scheduler daemon. Each tick, while it holds the lead: fires the location's cron schedules
 * whose latest tick has not fired yet (materialising what is stale in their selection), and
 * materialises every asset whose freshness policy is violated, with its stale upstreams, once per
 * tick of the policy. Every decision is recorded as a schedule tick with its reason.
 */
export class Scheduler<R = unknown> {
  private readonly now: () => Date;
  private readonly startedAt: Date;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  /** Assets with a freshness run in flight, so a slow run is not launched twice. */
  private readonly refreshing = new Set<string>();
  leading = false;

  constructor(private readonly options: SchedulerOptions<R>) {
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now();
  }

  /** Ticks now and then every interval until stopped. */
  start(): void {
    const loop = () => {
      this.running = this.tick()
        .then(() => {})
        .catch(() => {})
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(loop, this.options.intervalMs ?? 30_000);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.options.leadership.release();
    this.leading = false;
  }

  /** One evaluation. Returns what it decided (nothing when another process leads). */
  async tick(): Promise<ScheduleTick[]> {
    this.leading = await this.options.leadership.tryAcquire();
    if (!this.leading) return [];
    // A dead run left partitions `running` that the policies below would otherwise wait on for good.
    await recoverDeadRuns(this.options.storage, {
      graph: this.options.location.graph as AssetGraph<unknown>,
    });
    const decisions: ScheduleTick[] = [];
    for (const schedule of this.options.location.schedules) {
      const decision = await this.evaluateSchedule(schedule);
      if (decision) decisions.push(decision);
    }
    decisions.push(...(await this.evaluateFreshness()));
    for (const decision of decisions) await this.options.storage.recordTick(decision);
    return decisions;
  }

  private async evaluateSchedule(schedule: ScheduleDefinition): Promise<ScheduleTick | null> {
    const now = this.now();
    const tickAt = previousTick(schedule.cron, schedule.timezone, now);
    const [last] = await this.options.storage.listTicks({ schedule: schedule.name, limit: 1 });
    // A tick fires once, and only if it fell while a scheduler was running: no backfill of missed days.
    const since = last ? last.tickAt : this.startedAt;
    if (tickAt <= since) return null;
    return this.launch(
      schedule.name,
      tickAt,
      'schedule',
      schedule.selection,
      `cron ${schedule.cron} (${schedule.timezone})`,
    );
  }

  private async evaluateFreshness(): Promise<ScheduleTick[]> {
    const { graph } = this.options.location;
    const withPolicy = graph.assets().filter((asset) => asset.freshness && asset.storage !== 'external');
    if (withPolicy.length === 0) return [];
    const now = this.now();
    const states = indexStates(
      await this.options.storage.assetPartitions(withPolicy.map((asset) => asset.key)),
    );
    const decisions: ScheduleTick[] = [];
    for (const asset of withPolicy) {
      if (this.refreshing.has(asset.key)) continue;
      const freshness = evaluateFreshness(asset, states.get(asset.key)?.values() ?? [], now);
      if (!freshness?.overdue) continue;
      // One attempt per tick of the policy: a run that could not bring the asset up to date (a
      // source that has not delivered the day yet) is not launched again every 30 s, only at the
      // policy's next tick or by a person.
      const [last] = await this.options.storage.listTicks({ schedule: `freshness:${asset.key}`, limit: 1 });
      if (last?.decision === 'run' && last.tickAt.getTime() === freshness.tick.getTime()) continue;
      const why = `freshness policy of ${asset.key}: data must be newer than ${freshness.requiredDataTime.toISOString()}`;
      const decision = await this.launch(
        `freshness:${asset.key}`,
        freshness.tick,
        'freshness',
        `+${asset.key}`,
        why,
      );
      decisions.push(decision);
      if (decision.runId) {
        this.refreshing.add(asset.key);
        void this.options.launcher.done(decision.runId)?.finally(() => this.refreshing.delete(asset.key));
      }
    }
    return decisions;
  }

  private async launch(
    name: string,
    tickAt: Date,
    trigger: RunTrigger,
    selection: string,
    why: string,
  ): Promise<ScheduleTick> {
    const tick: ScheduleTick = {
      schedule: name,
      tickAt,
      evaluatedAt: this.now(),
      decision: 'skip',
      reason: '',
      runId: null,
      data: { selection },
    };
    try {
      const plan: Plan = await planRun(
        this.options.location.graph,
        this.options.storage,
        { selection },
        this.now(),
      );
      if (plan.steps.length === 0) return { ...tick, reason: `${why}: nothing is stale in ${selection}` };
      const { runId, recorded } = this.options.launcher.launch(plan, { trigger });
      await recorded;
      return {
        ...tick,
        decision: 'run',
        runId,
        reason: `${why}: ${plan.steps.length} stale partitions in ${selection}`,
        data: { selection, steps: plan.steps.length },
      };
    } catch (error) {
      return { ...tick, decision: 'error', reason: `${why}: ${errorMessage(error)}` };
    }
  }
}
