/**
 * Greenlets as DAP threads: one thread per live greenlet (thread id =
 * greenlet id), named with what it is doing, e.g. "g3 worker · blocked on
 * Queue#1.get". A program may have thousands; VS Code's Call Stack view does
 * not, so at most `maxThreads` are listed, chosen by how likely the user is
 * to want them: the stopped and running greenlet, then blocked ones; within
 * each rank one of every kind (same function, same wait) before a second of
 * any, the rarest kinds first, so that 250 workers waiting on a queue leave
 * room for the one producer waiting to put.
 */
import type { GreenletView, TraceState } from '../../shared/model/state';
import { greenletLine, waitText } from '../../shared/present/greenlet-words';

export interface ThreadEntry {
  readonly id: number;
  readonly name: string;
}

export interface ThreadList {
  readonly threads: ThreadEntry[];
  /** Live greenlets left out because of the cap. */
  readonly omitted: number;
}

/**
 * The threads to show: live greenlets (hub and main included), at most
 * `maxThreads`, listed by id so their order is stable from stop to stop.
 * `focus` is the greenlet the program stopped in, always kept.
 */
export function listThreads(state: TraceState, maxThreads: number, focus: number | null): ThreadList {
  // The stopped greenlet stays even when the model already counts it dead, or VS Code could not show the stop.
  const live = state.greenlets.filter((g) => (g.state !== 'dead_ok' && g.state !== 'dead_exception') || g.id === focus);
  let chosen = live;
  if (live.length > maxThreads) {
    const rank = (g: GreenletView): number =>
      g.id === focus ? 0 : g.id === state.current ? 1 : g.state === 'blocked' ? 2 : g.gkind === 'main' || g.gkind === 'hub' ? 3 : 4;
    // Sorting n greenlets would do; ranks are few, so bucket them in one pass instead.
    const buckets: GreenletView[][] = [[], [], [], [], []];
    for (const g of live) buckets[rank(g)]!.push(g);
    chosen = [];
    for (const bucket of buckets) {
      const room = maxThreads - chosen.length;
      if (room <= 0) break;
      // Only the rank cut short needs choosing within.
      chosen.push(...(bucket.length <= room ? bucket : oneOfEachKindFirst(bucket).slice(0, room)));
    }
    chosen.sort((a, b) => a.id - b.id);
  }
  return { threads: chosen.map((g) => ({ id: g.id, name: greenletLine(g) })), omitted: live.length - chosen.length };
}

/** What makes two greenlets alike in the Call Stack: their function and what they do (or wait on). */
function kindOf(g: GreenletView): string {
  return `${g.func}\0${g.blockedOn !== null ? waitText(g.blockedOn) : g.state}`;
}

/** Round-robin over the kinds, the rarest first: the i-th of each kind before the (i+1)-th of any. */
function oneOfEachKindFirst(greenlets: GreenletView[]): GreenletView[] {
  const sizes = new Map<string, number>();
  const keyed = greenlets.map((g) => {
    const kind = kindOf(g);
    const nth = sizes.get(kind) ?? 0;
    sizes.set(kind, nth + 1);
    return { g, kind, nth, size: 0 };
  });
  for (const k of keyed) k.size = sizes.get(k.kind)!;
  keyed.sort((a, b) => a.nth - b.nth || a.size - b.size || a.g.id - b.g.id);
  return keyed.map((k) => k.g);
}
