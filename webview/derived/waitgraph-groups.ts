/**
 * What the board's wait-for graph shows of the full graph (shared/analysis/
 * waitgraph.ts): with a thousand greenlets on one queue, a node each is a
 * tangle that says less than one node "worker ×1000". Greenlets that look the
 * same in the graph (same function, same state, stuck or not, and the same
 * neighbours: waiting on the same object with the same operation, woken by
 * the same ones) become one group node with a count. Then what matters is
 * kept first: the deadlock cycles, the selected greenlet's chain (what it
 * waits on, who could wake that, what those wait on…), and the objects with
 * the most waiters; the rest is counted, not drawn. Pure (no DOM).
 */

import type { GreenletView } from '../../shared/model/state';
import { byNodeId, type WaitEdge, type WaitGraph, type WaitNode } from '../../shared/analysis/waitgraph';
import { groupLabel } from '../../shared/present/greenlet-words';

export interface ShownNode {
  /** "g3", "o2", or "k<n>" for a group: the DOM's data-node. */
  readonly id: string;
  readonly kind: 'greenlet' | 'group' | 'object';
  /** Greenlet or object id; a group's first member. */
  readonly ref: number;
  readonly label: string;
  /** The greenlets' state name, or the object's kind. */
  readonly detail: string;
  /** Greenlets the node stands for (1 for a greenlet, 0 for an object). */
  readonly count: number;
  /** A group's greenlets, ascending. */
  readonly members: readonly number[];
  readonly stuck: boolean;
  /** On the selected greenlet's chain (the selected greenlet itself included). */
  readonly chain: boolean;
  /** On a deadlock cycle. */
  readonly cycle: boolean;
}

export interface ShownEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: WaitEdge['kind'];
  readonly label: string;
  readonly cycle: boolean;
  readonly chain: boolean;
  /** Edges of the full graph this one stands for. */
  readonly count: number;
}

export interface ShownGraph {
  readonly nodes: readonly ShownNode[];
  readonly edges: readonly ShownEdge[];
  /** Greenlets of the full graph not drawn (nor counted in a drawn group). */
  readonly hiddenGreenlets: number;
  /** Objects of the full graph not drawn. */
  readonly hiddenObjects: number;
}

export interface ShownLimits {
  /** Nodes drawn at most (cycles and the selected chain are drawn even beyond it). */
  readonly maxNodes: number;
  /** Nodes of the selected greenlet's chain at most. */
  readonly maxChain: number;
}

export const SHOWN_LIMITS: ShownLimits = { maxNodes: 40, maxChain: 30 };


export function shownWaitGraph(graph: WaitGraph, greenlets: ReadonlyMap<number, GreenletView>, selected: number | null, limits: ShownLimits = SHOWN_LIMITS): ShownGraph {
  const out = new Map<string, WaitEdge[]>();
  const into = new Map<string, WaitEdge[]>();
  for (const e of graph.edges) {
    push(out, e.from, e);
    push(into, e.to, e);
  }
  const cycleIds = new Set<string>();
  for (const e of graph.edges) if (e.cycle) cycleIds.add(e.from).add(e.to);
  const chain = chainOf(selected === null ? null : `g${selected}`, graph, out, into, limits.maxChain);

  // Groups: greenlets that are alike, never one on a cycle, the selected one or its chain's own steps.
  const groupOf = new Map<string, string>();
  const groups = new Map<string, { key: string; members: WaitNode[] }>();
  for (const n of graph.nodes) {
    if (n.kind !== 'greenlet' || cycleIds.has(n.id) || n.ref === selected) continue;
    const key = `${greenlets.get(n.ref)?.func ?? ''}|${n.detail}|${n.stuck ? 1 : 0}${chain.has(n.id) ? 1 : 0}|${signature(out.get(n.id), 'to')}|${signature(into.get(n.id), 'from')}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, members: [] };
      groups.set(key, group);
    }
    group.members.push(n);
  }
  const shown = new Map<string, ShownNode>();
  let groupNo = 0;
  for (const { members } of groups.values()) {
    if (members.length < 2) continue;
    const id = `k${groupNo++}`;
    const first = members[0]!;
    const func = greenlets.get(first.ref)?.func ?? '';
    for (const m of members) groupOf.set(m.id, id);
    shown.set(id, {
      id, kind: 'group', ref: first.ref, label: groupLabel(func, members.length), detail: first.detail, count: members.length,
      members: members.map((m) => m.ref).sort((a, b) => a - b), stuck: first.stuck, chain: chain.has(first.id), cycle: false,
    });
  }
  for (const n of graph.nodes) {
    if (groupOf.has(n.id)) continue;
    shown.set(n.id, {
      id: n.id, kind: n.kind, ref: n.ref, label: n.label, detail: n.detail, count: n.kind === 'greenlet' ? 1 : 0,
      members: n.kind === 'greenlet' ? [n.ref] : [], stuck: n.stuck, chain: chain.has(n.id), cycle: cycleIds.has(n.id),
    });
  }
  const at = (id: string): string => groupOf.get(id) ?? id;

  const edges = new Map<string, { from: string; to: string; kind: WaitEdge['kind']; label: string; cycle: boolean; chain: boolean; count: number }>();
  for (const e of graph.edges) {
    const from = at(e.from);
    const to = at(e.to);
    const key = `${from}>${to}>${e.kind}>${e.label}`;
    const onChain = chain.has(e.from) && chain.has(e.to);
    const had = edges.get(key);
    if (had === undefined) edges.set(key, { from, to, kind: e.kind, label: e.label, cycle: e.cycle, chain: onChain, count: 1 });
    else {
      had.count++;
      had.cycle ||= e.cycle;
      had.chain ||= onChain;
    }
  }

  // What matters first: cycles, the chain, then each waited-on node (object, or a joined greenlet) by its waiters, with them and its wakers.
  const keep = new Set<string>();
  for (const n of shown.values()) if (n.cycle || n.chain) keep.add(n.id);
  const waiters = new Map<string, number>();
  for (const e of graph.edges) if (e.kind !== 'wakes') waiters.set(at(e.to), (waiters.get(at(e.to)) ?? 0) + 1);
  const hubs = [...waiters].sort((a, b) => b[1] - a[1] || byNodeId(a[0], b[0]));
  const neighbours = new Map<string, Set<string>>();
  for (const e of edges.values()) {
    if (!neighbours.has(e.from)) neighbours.set(e.from, new Set());
    if (!neighbours.has(e.to)) neighbours.set(e.to, new Set());
    neighbours.get(e.from)!.add(e.to);
    neighbours.get(e.to)!.add(e.from);
  }
  for (const [hub] of hubs) {
    if (keep.size >= limits.maxNodes) break;
    const around = [hub, ...[...(neighbours.get(hub) ?? [])].sort(byNodeId)].filter((id) => !keep.has(id));
    if (keep.size + around.length > limits.maxNodes) {
      // A hub with too many different neighbours: the hub and the biggest of them, as many as fit.
      const room = limits.maxNodes - keep.size;
      if (room < 2) break;
      const biggest = around.slice(1).sort((a, b) => (shown.get(b)?.count ?? 0) - (shown.get(a)?.count ?? 0));
      keep.add(hub);
      for (const id of biggest.slice(0, room - 1)) keep.add(id);
      break;
    }
    for (const id of around) keep.add(id);
  }
  // A greenlet (or group) with no edges at all: blocked on something the graph does not draw.
  for (const n of shown.values()) if (keep.size < limits.maxNodes && !neighbours.has(n.id)) keep.add(n.id);

  const nodes = [...keep].map((id) => shown.get(id)!).sort((a, b) => byNodeId(a.id, b.id));
  let drawnGreenlets = 0;
  let totalGreenlets = 0;
  let totalObjects = 0;
  for (const n of shown.values()) {
    totalGreenlets += n.count;
    if (n.kind === 'object') totalObjects++;
  }
  for (const n of nodes) drawnGreenlets += n.count;
  return {
    nodes,
    edges: [...edges.values()].filter((e) => keep.has(e.from) && keep.has(e.to)),
    hiddenGreenlets: totalGreenlets - drawnGreenlets,
    hiddenObjects: totalObjects - nodes.filter((n) => n.kind === 'object').length,
  };
}

/**
 * The selected greenlet's chain: what it waits on, who could end that wait,
 * what they wait on in turn (following the edges), and one step back (who
 * waits on it, or on what it holds), breadth first up to `max` nodes.
 */
function chainOf(start: string | null, graph: WaitGraph, out: ReadonlyMap<string, WaitEdge[]>, into: ReadonlyMap<string, WaitEdge[]>, max: number): Set<string> {
  const chain = new Set<string>();
  if (start === null || !graph.nodes.some((n) => n.id === start)) return chain;
  chain.add(start);
  const queue = [start];
  while (queue.length > 0 && chain.size < max) {
    const id = queue.shift()!;
    for (const e of out.get(id) ?? []) {
      if (chain.has(e.to) || chain.size >= max) continue;
      chain.add(e.to);
      queue.push(e.to);
    }
  }
  for (const e of into.get(start) ?? []) {
    if (chain.size >= max) break;
    chain.add(e.from);
  }
  return chain;
}

/** A node's edges one way, order-free, as text: what makes two greenlets alike in the graph. Most have one edge or none. */
function signature(edges: readonly WaitEdge[] | undefined, end: 'from' | 'to'): string {
  if (edges === undefined || edges.length === 0) return '';
  if (edges.length === 1) return `${edges[0]!.kind}:${edges[0]!.label}:${edges[0]![end]}`;
  return edges.map((e) => `${e.kind}:${e.label}:${e[end]}`).sort().join(',');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
