/**
 * The wait-for graph at one state, and the deadlocks in it. Pure: the view
 * (webview/view/waitgraph.ts) only lays it out.
 *
 * Edges: a blocked greenlet → the object it waits on (→ the greenlet it
 * joins, directly); an object → each greenlet that could end those waits:
 * the holders of a lock, and for a queue the greenlets that have put into it
 * (for its getters) or got from it (for its putters). An Event or AsyncResult
 * may be set by anyone, so it has no such edges.
 *
 * Deadlock, OR-model: an object wakes its waiters if any one of its wakers
 * acts, so a wait is stuck only when every waker is itself stuck. The stuck
 * set is what remains after repeatedly removing greenlets with a waker that
 * is not stuck; the cycle edges are the stuck edges inside a strongly
 * connected component (Tarjan) of more than one node. A greenlet the trace
 * shows woken later, or whose wait is already satisfiable, is never stuck.
 */

import type { GreenletView, TraceState } from '../model/state';
import { WAIT_OPERATION } from '../present/greenlet-words';
import type { BlockReason } from '../trace/events';

export type WaitNodeKind = 'greenlet' | 'object';

export interface WaitNode {
  /** "g3" or "o2": the DOM's data-node. */
  readonly id: string;
  readonly kind: WaitNodeKind;
  /** Greenlet or object id. */
  readonly ref: number;
  readonly label: string;
  /** The greenlet's state name, or the object's kind (Queue, Lock…). */
  readonly detail: string;
  readonly stuck: boolean;
}

export interface WaitEdge {
  readonly from: string;
  readonly to: string;
  /** waits: greenlet → object; joins: greenlet → greenlet; wakes: object → greenlet. */
  readonly kind: 'waits' | 'joins' | 'wakes';
  /** What the edge means, e.g. "get", "held by", "puts". */
  readonly label: string;
  readonly cycle: boolean;
}

export interface WaitGraph {
  readonly nodes: WaitNode[];
  readonly edges: WaitEdge[];
  /** Greenlets that can never be woken (part of, or waiting on, a cycle). */
  readonly stuck: number[];
  /** Greenlet nodes left out to stay within the limit. */
  readonly omitted: number;
}

/** Who could end a wait of `reason` on queue `obj` (TraceFacts.queueWakers at the cursor). */
export type QueueWakers = (obj: number, reason: BlockReason) => readonly number[];

const isDead = (g: GreenletView): boolean => g.state === 'dead_ok' || g.state === 'dead_exception';

/**
 * Whether what a blocked greenlet waits for is already there: an item to get,
 * room to put, a free permit, a set Event. The loop is about to wake it (the
 * state shown falls between the change and the wake-up), so it is not stuck.
 * Returns a predicate, with the objects indexed once.
 */
export function satisfiableIn(state: TraceState): (g: GreenletView) => boolean {
  const queues = new Map(state.queues.map((q) => [q.id, q]));
  const locks = new Map(state.locks.map((l) => [l.id, l]));
  const events = new Map(state.events.map((e) => [e.id, e]));
  return (g) => {
    const b = g.blockedOn;
    if (b === null) return false;
    switch (b.reason) {
      case 'queue_get':
        return (queues.get(b.obj)?.items.length ?? 0) > 0;
      case 'queue_put': {
        const q = queues.get(b.obj);
        // A channel has no room: its putter waits for a getter whatever the count.
        return q !== undefined && q.type !== 'Channel' && (q.maxsize === null || q.maxsize <= 0 || q.items.length < q.maxsize);
      }
      case 'lock_acquire': {
        const l = locks.get(b.obj);
        return l !== undefined && l.capacity !== null && l.holders.length < l.capacity;
      }
      case 'event_wait':
      case 'result_get':
        return events.get(b.obj)?.set === true;
      default:
        return false;
    }
  };
}

/**
 * Whether a greenlet blocked at the state shown is woken later in the trace
 * (a recorded trace knows its future; live, the newest event has none). Such
 * a wait was only a moment between two events, never a deadlock.
 */
export type WokenLater = (g: number) => boolean;

export const NEVER_WOKEN: WokenLater = () => false;

/**
 * Node ids in natural order: greenlets before objects, each by number (g2
 * before g10). Compared by hand: a numeric Intl.Collator cost ~50 ms to sort
 * the ids of 6600 waiters on the board's every cursor step.
 */
export function byNodeId(a: string, b: string): number {
  if (a[0] !== b[0]) return a < b ? -1 : 1;
  return Number(a.slice(1)) - Number(b.slice(1));
}

export function buildWaitGraph(state: TraceState, queueWakers: QueueWakers, wokenLater: WokenLater = NEVER_WOKEN, maxGreenlets = 150): WaitGraph {
  const greenlets = new Map(state.greenlets.map((g) => [g.id, g]));
  const objects = new Map<number, { label: string; type: string; category: 'queue' | 'event' | 'lock'; holders: number[] }>();
  for (const q of state.queues) objects.set(q.id, { label: q.label, type: q.type, category: 'queue', holders: [] });
  for (const e of state.events) objects.set(e.id, { label: e.label, type: e.type, category: 'event', holders: [] });
  for (const l of state.locks) objects.set(l.id, { label: l.label, type: l.type, category: 'lock', holders: l.holders });

  const edges: { from: string; to: string; kind: WaitEdge['kind']; label: string }[] = [];
  /** What each blocked greenlet waits on (node id), for the stuck computation. */
  const target = new Map<number, string>();
  const wakers = new Map<string, Set<number>>();
  const blocked = state.greenlets.filter((g) => g.state === 'blocked' && g.blockedOn !== null);

  for (const g of blocked) {
    const b = g.blockedOn!;
    if (b.reason === 'join') {
      const joined = greenlets.get(b.obj);
      // Joining a dead greenlet returns at once: nothing to wait for.
      if (joined !== undefined && !isDead(joined)) {
        edges.push({ from: `g${g.id}`, to: `g${b.obj}`, kind: 'joins', label: 'join' });
        target.set(g.id, `g${b.obj}`);
      }
      continue;
    }
    if (b.obj === 0 || !objects.has(b.obj)) continue;
    const o = `o${b.obj}`;
    edges.push({ from: `g${g.id}`, to: o, kind: 'waits', label: WAIT_OPERATION[b.reason] || 'waits' });
    target.set(g.id, o);
    const obj = objects.get(b.obj)!;
    const set = wakers.get(o) ?? new Set<number>();
    wakers.set(o, set);
    const candidates = obj.category === 'lock' ? obj.holders : obj.category === 'queue' ? queueWakers(b.obj, b.reason) : [];
    for (const w of candidates) {
      const wg = greenlets.get(w);
      if (wg === undefined || isDead(wg) || (w === g.id && obj.category === 'queue')) continue;
      // A queue's getter and putter blocked on it together are about to meet, not to wait forever.
      if (obj.category === 'queue' && wg.blockedOn?.obj === b.obj && wg.state === 'blocked') continue;
      set.add(w);
    }
  }
  for (const [o, set] of wakers) {
    const label = objects.get(Number(o.slice(1)))!.category === 'lock' ? 'held by' : 'could wake';
    for (const w of [...set].sort((a, b) => a - b)) edges.push({ from: o, to: `g${w}`, kind: 'wakes', label });
  }

  const satisfiable = satisfiableIn(state);
  const candidates = [...target].filter(([g]) => !wokenLater(g) && !satisfiable(greenlets.get(g)!));
  const stuck = stuckGreenlets(new Map(candidates), wakers);
  // An object is stuck when one of its waiters is.
  const stuckObjects = new Set([...stuck].map((g) => target.get(g)!).filter((t) => t.startsWith('o')));
  const stuckNode = (id: string): boolean => (id.startsWith('g') ? stuck.has(Number(id.slice(1))) : stuckObjects.has(id));
  const stuckEdges = edges.filter((e) => stuckNode(e.from) && stuckNode(e.to));
  const component = stronglyConnected(stuckEdges.map((e) => [e.from, e.to] as const));
  const sizes = new Map<number, number>();
  for (const c of component.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const inCycle = (e: { from: string; to: string }): boolean => {
    const c = component.get(e.from);
    return c !== undefined && c === component.get(e.to) && (sizes.get(c) ?? 0) > 1 && stuckNode(e.from) && stuckNode(e.to);
  };

  // Keep every greenlet of a stuck edge, then the rest by id, up to the limit of greenlet nodes.
  const wanted = new Set<string>();
  for (const e of stuckEdges) wanted.add(e.from).add(e.to);
  const all = new Set<string>();
  for (const e of edges) all.add(e.from).add(e.to);
  for (const g of blocked) all.add(`g${g.id}`);
  const byId = byNodeId;
  let greenletNodes = [...wanted].filter((id) => id.startsWith('g')).length;
  let omitted = 0;
  for (const id of [...all].sort(byId)) {
    if (wanted.has(id) || !id.startsWith('g')) continue;
    if (greenletNodes < maxGreenlets) {
      wanted.add(id);
      greenletNodes++;
    } else {
      omitted++;
    }
  }
  // Objects stay when an edge links them to a greenlet that stays.
  const kept = (id: string): boolean => id.startsWith('o') || wanted.has(id);
  const keptEdges = edges.filter((e) => kept(e.from) && kept(e.to));
  const linked = new Set<string>();
  for (const e of keptEdges) linked.add(e.from).add(e.to);
  const nodeIds = [...wanted].filter((id) => id.startsWith('g')).concat([...linked].filter((id) => id.startsWith('o')));
  const nodes: WaitNode[] = nodeIds
    .sort(byId)
    .map((id) => {
      const ref = Number(id.slice(1));
      if (id.startsWith('g')) {
        const g = greenlets.get(ref);
        return { id, kind: 'greenlet', ref, label: g?.label ?? id, detail: g?.state ?? 'unknown', stuck: stuck.has(ref) };
      }
      const o = objects.get(ref)!;
      return { id, kind: 'object', ref, label: o.label, detail: o.type, stuck: stuckNode(id) };
    });
  return {
    nodes,
    edges: keptEdges.map((e) => ({ ...e, cycle: inCycle(e) })),
    stuck: [...stuck].sort((a, b) => a - b),
    omitted,
  };
}

/** Blocked greenlets none of whose possible wakers can act (OR-model fixed point). */
export function stuckGreenlets(target: ReadonlyMap<number, string>, wakers: ReadonlyMap<string, ReadonlySet<number>>): Set<number> {
  const stuck = new Set(target.keys());
  let changed = true;
  while (changed) {
    changed = false;
    for (const g of stuck) {
      const t = target.get(g)!;
      const ok = t.startsWith('g')
        ? stuck.has(Number(t.slice(1)))
        : (wakers.get(t)?.size ?? 0) > 0 && [...wakers.get(t)!].every((w) => stuck.has(w));
      if (!ok) {
        stuck.delete(g);
        changed = true;
      }
    }
  }
  return stuck;
}

/** Tarjan's strongly connected components, iteratively (no recursion limit): node → component number. */
export function stronglyConnected(edges: readonly (readonly [string, string])[]): Map<string, number> {
  const adj = new Map<string, string[]>();
  for (const [a, b] of edges) {
    if (!adj.has(a)) adj.set(a, []);
    if (!adj.has(b)) adj.set(b, []);
    adj.get(a)!.push(b);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let next = 0;
  let components = 0;
  for (const root of adj.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      const out = adj.get(v)!;
      if (i < out.length) {
        frame[1]++;
        const w = out[i]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.set(w, components);
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}
