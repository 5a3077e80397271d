/**
 * Whether the program is deadlocked at one state, decided here once: for the
 * findings' deadlock kinds (engine.ts, at the newest event) and for the
 * board's banner (at its cursor). Two ways to be stuck:
 * - a cycle in the wait-for graph (waitgraph.ts: every waker of every wait
 *   in it is itself stuck), whatever else runs;
 * - the whole program: every live greenlet but the hub is blocked (or never
 *   started), none of them on a sleep, on I/O or with a timeout, so nothing
 *   the loop does can wake anyone. gevent ends that with LoopExit in the main
 *   greenlet, so a main that died of LoopExit still counts.
 * Either way, a greenlet the trace shows woken later was never stuck.
 */

import { isLoopExit } from '../model/loop-exit';
import type { GreenletView, TraceState } from '../model/state';
import { allBlockedText, cycleDeadlockText } from '../present/stop-words';
import { NEVER_WOKEN, satisfiableIn, type WaitGraph, type WokenLater } from './waitgraph';

export interface DeadlockVerdict {
  readonly kind: 'cycle' | 'all-blocked';
  /** The greenlets involved, ascending. */
  readonly greenlets: number[];
  /** The objects on the cycle (none for all-blocked), ascending. */
  readonly objects: number[];
  /** The banner: "Deadlock: " and the finding's message. */
  readonly text: string;
}

const isDead = (g: GreenletView): boolean => g.state === 'dead_ok' || g.state === 'dead_exception';

/** Whether a blocked greenlet can be woken by the loop alone (a timer or I/O). */
function wakesByItself(g: GreenletView): boolean {
  const b = g.blockedOn;
  return b !== null && (b.timeout !== null || b.reason === 'sleep' || b.reason === 'io');
}

function diedOfLoopExit(g: GreenletView): boolean {
  return g.exceptionInfo !== null && isLoopExit(g.exceptionInfo.type);
}

/**
 * Every live non-hub greenlet blocked with nothing to wake it; null when
 * something can still run, or when the trace shows one of them woken later
 * (the moment between the last greenlet blocking and the hub waking one).
 */
export function allBlocked(state: TraceState, wokenLater: WokenLater = NEVER_WOKEN): number[] | null {
  const blocked: number[] = [];
  const satisfiable = satisfiableIn(state);
  for (const g of state.greenlets) {
    if (g.gkind === 'hub') continue;
    if (isDead(g)) {
      if (g.gkind === 'main' && !diedOfLoopExit(g)) return null;
      continue;
    }
    if (g.state === 'not_started') continue;
    if (g.state !== 'blocked' || wakesByItself(g) || wokenLater(g.id) || satisfiable(g)) return null;
    blocked.push(g.id);
  }
  return blocked.length > 0 ? blocked : null;
}

export function deadlockVerdict(state: TraceState, graph: WaitGraph, wokenLater: WokenLater = NEVER_WOKEN): DeadlockVerdict | null {
  const labels = new Map(state.greenlets.map((g) => [g.id, g.label]));
  const name = (id: number): string => labels.get(id) ?? `g${id}`;
  if (graph.stuck.length > 0) {
    const cycleNodes = new Set<string>();
    for (const e of graph.edges) if (e.cycle) cycleNodes.add(e.from).add(e.to);
    const objects = graph.nodes.filter((n) => n.kind === 'object' && cycleNodes.has(n.id));
    return {
      kind: 'cycle',
      greenlets: graph.stuck,
      objects: objects.map((n) => n.ref),
      text: cycleDeadlockText(graph.stuck.map(name), objects.map((n) => n.label)),
    };
  }
  const blocked = allBlocked(state, wokenLater);
  if (blocked === null) return null;
  return { kind: 'all-blocked', greenlets: blocked, objects: [], text: allBlockedText(blocked.map(name)) };
}
