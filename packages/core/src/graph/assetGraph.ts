import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import type { Asset, ColumnRef, Dependency } from '../definitions/types.ts';
import { DefinitionError } from '../errors.ts';
import { addDays, partitionKeys, UNPARTITIONED } from '../partitions/daily.ts';
import { suggestion } from './nearest.ts';

/**
 * The validated asset graph: definitions by key, edges from upstream to downstream (graphology),
 * and a topological order. Building one is where definition errors that need the whole set are found.
 */
export class AssetGraph<R = unknown> {
  readonly graph = new DirectedGraph();
  /** Keys in topological order: every asset after all of its upstreams. */
  readonly order: readonly string[];
  private readonly byKey = new Map<string, Asset<R>>();
  /** `asset\u0000column` → the downstream columns declared as computed from it, in topological order. */
  private readonly readers = new Map<string, ColumnRef[]>();

  constructor(assets: readonly Asset<R>[]) {
    for (const asset of assets) {
      if (this.byKey.has(asset.key)) throw new DefinitionError(`asset "${asset.key}" is defined twice`);
      this.byKey.set(asset.key, asset);
      this.graph.addNode(asset.key);
    }
    for (const asset of assets) {
      const resolved = asset.deps.map((dep) => this.resolveDependency(asset, dep));
      this.byKey.set(asset.key, { ...asset, deps: resolved });
      for (const dep of resolved) this.graph.mergeDirectedEdge(dep.key, asset.key);
    }
    const cycle = findCycle(this.graph);
    if (cycle) throw new DefinitionError(`assets form a cycle: ${cycle.join(' → ')}`);
    this.order = topologicalSort(this.graph);
    for (const key of this.order) this.indexColumnLineage(this.get(key));
  }

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): Asset<R> {
    const asset = this.byKey.get(key);
    if (!asset) throw new Error(`unknown asset "${key}"`);
    return asset;
  }

  assets(): Asset<R>[] {
    return this.order.map((key) => this.get(key));
  }

  upstreamKeys(key: string): string[] {
    return this.graph.inNeighbors(key);
  }

  downstreamKeys(key: string): string[] {
    return this.graph.outNeighbors(key);
  }

  /** The columns of downstream assets declared as computed from `column` of `key` (`from`). */
  downstreamColumns(key: string, column: string): readonly ColumnRef[] {
    return this.readers.get(columnId(key, column)) ?? [];
  }

  groups(): string[] {
    return [...new Set(this.assets().map((asset) => asset.group))].sort();
  }

  /** The upstream partitions that one downstream partition reads through `dep`. */
  upstreamPartitions(dep: Dependency, partition: string, now: Date): string[] {
    const upstream = this.get(dep.key).partitions;
    if (upstream === null) return [UNPARTITIONED];
    switch (dep.mapping.kind) {
      case 'all':
        return partitionKeys(upstream, {}, now);
      case 'identity':
        return partition >= upstream.start ? [partition] : [];
      case 'window': {
        const from = addDays(partition, dep.mapping.startOffset);
        const to = addDays(partition, dep.mapping.endOffset);
        return partitionKeys(upstream, { from, to }, now).filter((key) => key >= from && key <= to);
      }
    }
  }

  /**
   * The partitions of `downstreamKey` that read one partition of its upstream `upstreamKey`: the
   * other way round from `upstreamPartitions`.
   */
  downstreamPartitions(downstreamKey: string, upstreamKey: string, partition: string): string[] {
    const downstream = this.get(downstreamKey);
    const dep = downstream.deps.find((candidate) => candidate.key === upstreamKey);
    if (!dep) throw new Error(`asset "${downstreamKey}" does not depend on "${upstreamKey}"`);
    if (downstream.partitions === null) return [UNPARTITIONED];
    switch (dep.mapping.kind) {
      case 'identity':
        return partition ? [partition] : [];
      case 'window': {
        const days: string[] = [];
        for (let offset = -dep.mapping.endOffset; offset <= -dep.mapping.startOffset; offset++)
          days.push(addDays(partition, offset));
        return days;
      }
      case 'all':
        // Every day of a daily asset reads all of an unpartitioned upstream. None is listed, so that
        // re-planning after one partition changed does not grow by the whole history: the next
        // plan finds those days stale.
        return [];
    }
  }

  /**
   * Checks an asset's column lineage against the graph — each reference names a direct upstream —
   * and records each reference the other way round. The upstream column itself is not checked: an
   * upstream may document only some of its columns, or none, leaving the rest to its table.
   */
  private indexColumnLineage(asset: Asset<R>): void {
    const upstreams = new Set(asset.deps.map((dep) => dep.key));
    for (const column of asset.columns) {
      for (const ref of column.from) {
        const where = `asset "${asset.key}": column "${column.name}" comes from "${ref.asset}.${ref.column}"`;
        if (!this.byKey.has(ref.asset)) {
          throw new DefinitionError(`${where}, an unknown asset${suggestion(ref.asset, this.byKey.keys())}`);
        }
        if (!upstreams.has(ref.asset)) {
          throw new DefinitionError(
            `${where}, but "${asset.key}" does not depend on "${ref.asset}": add it to deps`,
          );
        }
        const id = columnId(ref.asset, ref.column);
        const readers = this.readers.get(id) ?? [];
        readers.push({ asset: asset.key, column: column.name });
        this.readers.set(id, readers);
      }
    }
  }

  private resolveDependency(asset: Asset<R>, dep: Dependency): Dependency {
    const where = `asset "${asset.key}"`;
    const upstream = this.byKey.get(dep.key);
    if (!upstream) {
      throw new DefinitionError(
        `${where} depends on unknown asset "${dep.key}"${suggestion(dep.key, this.byKey.keys())}`,
      );
    }
    if (dep.key === asset.key) throw new DefinitionError(`${where} depends on itself`);
    const downstreamDaily = asset.partitions !== null;
    const upstreamDaily = upstream.partitions !== null;
    if (!dep.declared) {
      if (!downstreamDaily) return { ...dep, mapping: { kind: 'all' } };
      if (upstreamDaily) return dep;
      throw new DefinitionError(
        `${where} is partitioned daily but depends on unpartitioned "${dep.key}" without a partition mapping: ` +
          `declare { key: "${dep.key}", mapping: { kind: "all" } }`,
      );
    }
    if (dep.mapping.kind !== 'all' && !(downstreamDaily && upstreamDaily)) {
      throw new DefinitionError(
        `${where}: the "${dep.mapping.kind}" mapping to "${dep.key}" needs both assets partitioned daily`,
      );
    }
    if (dep.mapping.kind === 'window' && dep.mapping.startOffset > dep.mapping.endOffset) {
      throw new DefinitionError(`${where}: the window mapping to "${dep.key}" starts after it ends`);
    }
    return dep;
  }
}

const columnId = (asset: string, column: string) => `${asset}\u0000${column}`;

/** One cycle as a closed path of keys, or null. Iterative DFS so 10,000-asset graphs do not overflow. */
function findCycle(graph: DirectedGraph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graph.nodes()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: Array<{ node: string; next: string[] }> = [{ node: root, next: graph.outNeighbors(root) }];
    state.set(root, 'open');
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.next.pop();
      if (child === undefined) {
        state.set(top.node, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const seen = state.get(child);
      if (seen === 'open') return [...path.slice(path.indexOf(child)), child];
      if (seen === 'done') continue;
      state.set(child, 'open');
      path.push(child);
      stack.push({ node: child, next: graph.outNeighbors(child) });
    }
  }
  return null;
}
