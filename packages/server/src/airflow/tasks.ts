import { type Location, resolveSelection } from '@vitrina/core';

/** One Airflow task: `vitrina materialize <selection>` over `keys`, after the tasks in `upstream`. */
export interface AirflowTask {
  id: string;
  /** The asset group, or null when the groups formed a cycle and each task is one asset. */
  group: string | null;
  keys: string[];
  selection: string;
  upstream: string[];
}

/** One DAG: a schedule of the location, or the whole location run by hand when it has none. */
export interface AirflowDag {
  id: string;
  /** Null for a DAG triggered by hand. */
  schedule: { name: string; cron: string; timezone: string } | null;
  description: string;
  /** The location's selection the DAG materialises. */
  selection: string;
  /** In an order Airflow can run them: every task after its upstream tasks. */
  tasks: AirflowTask[];
  /** The asset groups, by their dependencies, formed a cycle, so there is one task per asset. */
  groupCycle: string[] | null;
}

export type DagLocation = Pick<Location, 'name' | 'graph' | 'schedules'>;

/** Airflow ids allow letters, digits, `_`, `.` and `-`. */
export function airflowId(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function planDags(location: DagLocation): AirflowDag[] {
  const prefix = `vitrina_${airflowId(location.name)}`;
  if (location.schedules.length === 0) {
    return [
      planDag(location, {
        id: prefix,
        schedule: null,
        selection: '*',
        description: `every asset of the Vitrina location ${location.name}, triggered by hand`,
      }),
    ];
  }
  return location.schedules.map((schedule) =>
    planDag(location, {
      id: `${prefix}_${airflowId(schedule.name)}`,
      schedule: { name: schedule.name, cron: schedule.cron, timezone: schedule.timezone },
      selection: schedule.selection,
      description:
        schedule.description ||
        `the Vitrina schedule ${schedule.name} of ${location.name}: ${schedule.selection}`,
    }),
  );
}

function planDag(
  location: DagLocation,
  dag: Pick<AirflowDag, 'id' | 'schedule' | 'selection' | 'description'>,
): AirflowDag {
  const { graph } = location;
  const selected = resolveSelection(graph, dag.selection);
  // Graph order is topological, so tasks listed in it come after their upstreams.
  const keys = graph.order.filter((key) => selected.has(key) && graph.get(key).storage !== 'external');
  const upstreams = taskUpstreams(location, new Set(keys));
  const byGroup = groupBy(keys, (key) => graph.get(key).group);
  const groupEdges = new Map<string, Set<string>>();
  for (const [group, members] of byGroup) {
    const from = new Set(members.flatMap((key) => [...upstreams.get(key)!].map((up) => graph.get(up).group)));
    from.delete(group);
    groupEdges.set(group, from);
  }
  const groupOrder = topologicalOrder([...byGroup.keys()], groupEdges);
  if (groupOrder.cycle === null) {
    const ids = uniqueIds(groupOrder.order);
    const tasks = groupOrder.order.map((group) => ({
      id: ids.get(group)!,
      group,
      keys: byGroup.get(group)!,
      selection: groupSelection(location, group, byGroup.get(group)!),
      upstream: [...groupEdges.get(group)!].map((up) => ids.get(up)!).sort(),
    }));
    return { ...dag, tasks, groupCycle: null };
  }
  const ids = uniqueIds(keys);
  const tasks = keys.map((key) => ({
    id: ids.get(key)!,
    group: null,
    keys: [key],
    selection: key,
    upstream: [...upstreams.get(key)!].map((up) => ids.get(up)!).sort(),
  }));
  return { ...dag, tasks, groupCycle: groupOrder.cycle };
}

/**
 * For each task asset, the task assets it waits for: its upstreams, looking through assets that are
 * not tasks (outside the selection, or external), so that order survives a selection with gaps.
 */
function taskUpstreams(location: DagLocation, tasks: ReadonlySet<string>): Map<string, Set<string>> {
  const { graph } = location;
  const nearest = new Map<string, Set<string>>();
  const nearestTasks = (key: string): Set<string> => {
    const known = nearest.get(key);
    if (known) return known;
    const found = new Set<string>();
    for (const up of graph.upstreamKeys(key)) {
      if (tasks.has(up)) found.add(up);
      else for (const through of nearestTasks(up)) found.add(through);
    }
    nearest.set(key, found);
    return found;
  };
  return new Map([...tasks].map((key) => [key, nearestTasks(key)]));
}

/** `group:<name>` when the task is the whole group, otherwise its keys (selection terms are a union). */
function groupSelection(location: DagLocation, group: string, keys: readonly string[]): string {
  const whole = location.graph.assets().filter((asset) => asset.group === group).length === keys.length;
  return whole ? `group:${group}` : keys.join(' ');
}

/** Kahn's algorithm; ties keep the given order. When nodes are left, one cycle among them. */
function topologicalOrder(
  nodes: readonly string[],
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): { order: string[]; cycle: string[] | null } {
  const order: string[] = [];
  const placed = new Set<string>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const node of nodes) {
      if (placed.has(node) || [...upstream.get(node)!].some((up) => !placed.has(up))) continue;
      order.push(node);
      placed.add(node);
      progressed = true;
    }
  }
  const left = nodes.find((node) => !placed.has(node));
  if (left === undefined) return { order, cycle: null };
  // Every node left waits for another node left, so walking upstream among them closes a cycle.
  const path = [left];
  for (;;) {
    const next = [...upstream.get(path.at(-1)!)!].find((up) => !placed.has(up))!;
    const seen = path.indexOf(next);
    if (seen >= 0) {
      const cycle = path.slice(seen).reverse();
      const first = cycle.indexOf(nodes.find((node) => cycle.includes(node))!);
      const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
      return { order, cycle: [...rotated, rotated[0]!] };
    }
    path.push(next);
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

/** Airflow ids for names; two names that map to the same id get numbered suffixes. */
function uniqueIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const base = airflowId(name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}
