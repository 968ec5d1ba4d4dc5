import { useEffect, useMemo, useRef, useState } from 'react';
import { useGraph, useLive } from '../api/hooks.ts';
import type { AssetNode, Graph } from '../api/types.ts';
import { AssetPanel, SelectionPanel } from '../components/AssetPanel.tsx';
import { useMaterializeAction } from '../components/actions.tsx';
import { Empty, ErrorState, Loading, Spinner } from '../components/common.tsx';
import { LineageCanvas, type LineageHandle } from '../components/lineage/LineageCanvas.tsx';
import { FoldButtons, NodeList } from '../components/lineage/LineageControls.tsx';
import { lineageStats } from '../components/lineage/stats.ts';
import { useFolding } from '../components/lineage/useFolding.ts';
import { groupIdOfTile } from '../lib/collapse.ts';
import { formatRelative, plural } from '../lib/format.ts';
import { adjacency, type FocusDirection, focusSet, searchAssets } from '../lib/graph.ts';
import { layoutGraph } from '../lib/layout.ts';
import { to } from '../lib/routes.ts';
import { type NodeState, nodeState, stateCounts, stateStyles } from '../lib/status.ts';
import { navigate } from '../router.tsx';

export function LineageView({ focus, search }: { focus: string | null; search: string }) {
  const graph = useGraph();
  if (graph.error && !graph.data) {
    return (
      <ErrorState
        title="The asset graph could not be loaded"
        error={graph.error}
        retry={() => void graph.refetch()}
      />
    );
  }
  if (!graph.data) return <Loading what="the asset graph" />;
  if (graph.data.nodes.length === 0) {
    return (
      <Empty title="No assets yet">
        The code location defines no assets. Point <code>VITRINA_DEFINITIONS</code> at a module that exports a
        location.
      </Empty>
    );
  }
  return <Lineage graph={graph.data} focus={focus} initialSearch={search} refreshing={graph.isFetching} />;
}

/** Needs attention: what "materialise stale" would pick up. */
const needsWork = new Set<NodeState>(['stale', 'never', 'failed', 'overdue']);

/** A signature of the graph's shape, so states changing do not re-run the layout. */
function topology(graph: Graph): string {
  return `${graph.nodes.map((node) => `${node.key}:${node.group}`).join(',')}|${graph.edges.map((edge) => `${edge.from}>${edge.to}`).join(',')}`;
}

function Lineage({
  graph,
  focus,
  initialSearch,
  refreshing,
}: {
  graph: Graph;
  focus: string | null;
  initialSearch: string;
  refreshing: boolean;
}) {
  const live = useLive();
  const canvas = useRef<LineageHandle>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(focus ? [focus] : []));
  const [query, setQuery] = useState(initialSearch);
  const [matchIndex, setMatchIndex] = useState(0);
  const [direction, setDirection] = useState<FocusDirection>('both');
  const materializeStale = useMaterializeAction();

  const shape = topology(graph);
  const adjacent = useMemo(
    () =>
      adjacency(
        graph.nodes.map((node) => node.key),
        graph.edges,
      ),
    [shape],
  );
  const byKey = useMemo(() => new Map(graph.nodes.map((node) => [node.key, node])), [graph]);
  const focusKeys = useMemo(
    () => (focus && byKey.has(focus) ? focusSet([focus], adjacent, direction) : null),
    [focus, adjacent, direction, byKey],
  );
  const states = useMemo(() => {
    const map = new Map<string, NodeState>();
    for (const node of graph.nodes)
      map.set(node.key, nodeState(node.health, live.runningAssets.has(node.key)));
    return map;
  }, [graph, live]);
  const reasons = useMemo(() => new Map(graph.nodes.map((node) => [node.key, node.reason])), [graph]);
  const subtitles = useMemo(() => {
    const map = new Map<string, string>();
    for (const node of graph.nodes)
      map.set(node.key, subtitle(node, states.get(node.key)!, live.runningAssets.get(node.key)));
    return map;
  }, [graph, states, live]);

  const folding = useFolding(graph.nodes, graph.edges, shape, focusKeys, states, subtitles);
  const layout = useMemo(() => {
    const started = performance.now();
    const result = layoutGraph(folding.graph);
    const stats = lineageStats();
    stats.layoutMs = performance.now() - started;
    stats.nodes = result.nodes.length;
    return result;
  }, [folding.graph]);
  /** The key an asset is drawn as: its own, or its folded group's tile. */
  const shown = (keys: Iterable<string>) => {
    const result = new Set<string>();
    for (const key of keys) {
      const as = folding.graph.shownAs.get(key);
      if (as) result.add(as);
    }
    return result;
  };
  // A key to bring into view once the layout that shows it is drawn (after unfolding its group).
  const [pendingCenter, setPendingCenter] = useState<string | null>(null);
  useEffect(() => {
    if (!pendingCenter) return;
    const as = folding.graph.shownAs.get(pendingCenter) ?? pendingCenter;
    if (!layout.byKey.has(as)) return;
    canvas.current?.centerOn(as);
    setPendingCenter(null);
  }, [pendingCenter, layout, folding.graph]);

  const matches = useMemo(() => {
    const visible = focusKeys ? graph.nodes.filter((node) => focusKeys.has(node.key)) : graph.nodes;
    return searchAssets(visible, query);
  }, [graph, focusKeys, query]);
  const matchKeys = useMemo(() => new Set(matches.map((node) => node.key)), [matches]);
  const related = useMemo(
    () => (selected.size > 0 ? focusSet([...selected], adjacent, 'both') : null),
    [selected, adjacent],
  );
  const drawn = useMemo(
    () => ({
      selected: shown(selected),
      matches: shown(matchKeys),
      related: related ? shown(related) : null,
    }),
    [selected, matchKeys, related, folding.graph],
  );
  const counts = useMemo(() => {
    const shown = focusKeys ? [...focusKeys].map((key) => states.get(key)!) : [...states.values()];
    return stateCounts(shown);
  }, [states, focusKeys]);
  const staleCount = graph.nodes.filter((node) => needsWork.has(node.health)).length;

  const select = (key: string | null, additive = false) => {
    if (key === null) return setSelected(new Set());
    setSelected((previous) => {
      if (!additive) return new Set([key]);
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  };
  const jumpTo = (key: string) => {
    select(key);
    const as = folding.graph.shownAs.get(key);
    if (as && as !== key) {
      folding.setFolded(groupIdOfTile(as), false);
      setPendingCenter(key);
    } else canvas.current?.centerOn(key);
  };
  const toggleGroup = (id: string) => {
    const group = folding.groups.get(id);
    folding.toggle(id);
    if (group) setPendingCenter(group.members[0]!);
  };
  const goToMatch = (step: number) => {
    if (matches.length === 0) return;
    const index = (((matchIndex + step) % matches.length) + matches.length) % matches.length;
    setMatchIndex(index);
    jumpTo(matches[index]!.key);
  };
  const setFocus = (key: string | null) => {
    navigate(to.lineage(key, query), { replace: false });
    if (key) setSelected(new Set([key]));
  };

  const selectedNodes = [...selected]
    .map((key) => byKey.get(key))
    .filter((node): node is AssetNode => !!node);
  return (
    <div className="lineage">
      {graph.standIns.length > 0 ? (
        <div className="stand-ins" role="note" aria-label="Stand-ins">
          <strong>Stand-ins here:</strong>
          {graph.standIns.map((standIn) => (
            <span key={standIn} className="stand-in">
              {standIn}
            </span>
          ))}
        </div>
      ) : null}
      <div className="toolbar" role="toolbar" aria-label="Lineage">
        <div className="search">
          <input
            type="search"
            placeholder="Search assets…  (Enter jumps to the next match)"
            aria-label="Search assets"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setMatchIndex(-1);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                goToMatch(event.shiftKey ? -1 : 1);
              }
              if (event.key === 'Escape') setQuery('');
            }}
          />
          {query ? (
            <span className="search-count muted" aria-live="polite">
              {matches.length === 0
                ? 'no match'
                : `${matchIndex >= 0 ? `${matchIndex + 1} of ` : ''}${plural(matches.length, 'match', 'matches')}`}
            </span>
          ) : null}
          {query && matches.length > 1 ? (
            <>
              <button
                type="button"
                className="icon-button"
                aria-label="Previous match"
                onClick={() => goToMatch(-1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label="Next match"
                onClick={() => goToMatch(1)}
              >
                ↓
              </button>
            </>
          ) : null}
        </div>
        {focus ? (
          <div className="focus-chip" data-focus={focus}>
            <span>
              Focus: <strong className="mono">{focus}</strong>
            </span>
            <select
              aria-label="Focus direction"
              value={direction}
              onChange={(event) => setDirection(event.target.value as FocusDirection)}
            >
              <option value="both">upstream + downstream</option>
              <option value="upstream">upstream only</option>
              <option value="downstream">downstream only</option>
            </select>
            <button
              type="button"
              className="icon-button"
              aria-label="Show the whole graph"
              onClick={() => setFocus(null)}
            >
              ×
            </button>
          </div>
        ) : null}
        <div className="spacer" />
        {refreshing ? <Spinner label="Refreshing" /> : null}
        <FoldButtons folding={folding} />
        <fieldset className="zoom-buttons">
          <legend className="visually-hidden">Zoom</legend>
          <button
            type="button"
            className="icon-button"
            aria-label="Zoom out"
            onClick={() => canvas.current?.zoomBy(0.8)}
          >
            −
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Fit to screen"
            onClick={() => canvas.current?.fit()}
          >
            ⤢
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Zoom in"
            onClick={() => canvas.current?.zoomBy(1.25)}
          >
            +
          </button>
        </fieldset>
        <button
          type="button"
          className="button primary"
          disabled={materializeStale.pending || staleCount === 0}
          onClick={() => materializeStale.run({ selection: '*' })}
          title="Runs every stale, missing, failed or overdue partition in dependency order"
          data-action="materialize-stale"
        >
          {materializeStale.pending ? <Spinner /> : <span aria-hidden="true">▶</span>} Materialise stale
          {staleCount > 0 ? ` (${staleCount})` : ''}
        </button>
      </div>
      <div className="legend">
        {counts.map(({ state, count }) => (
          <button
            type="button"
            key={state}
            className="legend-item"
            title={`Select the ${count} ${stateStyles[state].label.toLowerCase()} assets`}
            onClick={() =>
              setSelected(
                new Set(
                  [...states]
                    .filter(([key, s]) => s === state && (!focusKeys || focusKeys.has(key)))
                    .map(([key]) => key),
                ),
              )
            }
          >
            <i style={{ background: stateStyles[state].colour }} />
            {stateStyles[state].label} <strong>{count}</strong>
          </button>
        ))}
        <span className="muted legend-hint">
          {plural(focusKeys?.size ?? graph.nodes.length, 'asset')}
          {folding.anyFolded
            ? ` (${plural([...folding.boxes.values()].filter((box) => box.collapsed).length, 'group')} folded: click a tile to unfold it)`
            : ''}{' '}
          · {layout.layers.join(' → ')}
        </span>
      </div>
      <div className="lineage-body">
        <LineageCanvas
          ref={canvas}
          layout={layout}
          fitKey={focus ?? ''}
          states={folding.states}
          reasons={reasons}
          subtitles={folding.subtitles}
          boxes={folding.boxes}
          selected={drawn.selected}
          matches={drawn.matches}
          related={drawn.related}
          onToggleGroup={toggleGroup}
          onSelect={select}
          onOpen={(key) => navigate(to.asset(key))}
        />
        {selectedNodes.length === 1 ? (
          <AssetPanel
            key={selectedNodes[0]!.key}
            node={selectedNodes[0]!}
            onSelect={jumpTo}
            onFocus={(key) => setFocus(key)}
            onClose={() => select(null)}
          />
        ) : selectedNodes.length > 1 ? (
          <SelectionPanel nodes={selectedNodes} onSelect={jumpTo} onClear={() => select(null)} />
        ) : null}
      </div>
      <NodeList
        layout={layout}
        states={states}
        folding={folding}
        onJump={jumpTo}
        onToggleGroup={toggleGroup}
      />
    </div>
  );
}

/** The node's second line: what a person wants to know at a glance. */
function subtitle(node: AssetNode, state: NodeState, running: ReadonlySet<string> | undefined): string {
  const days = node.partitioned ? ` · ${node.partitions.materialized}/${node.partitions.total} days` : '';
  switch (state) {
    case 'running':
      return node.partitioned && running && running.size > 0
        ? `materialising ${plural(running.size, 'day')}…`
        : 'materialising…';
    case 'fresh':
      return `fresh · ${formatRelative(node.lastMaterializedAt)}${days}`;
    case 'external':
      return 'external source';
    default:
      return `${node.reason ?? stateStyles[state].label}${days}`;
  }
}
