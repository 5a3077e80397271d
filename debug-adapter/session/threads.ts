/**
 * Greenlets as DAP threads: one thread per live greenlet (thread id =
 * greenlet id), named with what it is doing, e.g. "g3 worker · blocked on
 * Queue#1.get". A program may have thousands; VS Code's Call Stack view does
 * not, so at most `maxThreads` are listed, chosen by how likely the user is
 * to want them: the stopped and running greenlet, then blocked ones.
 */
import type { GreenletView, TraceState } from '../../shared/model/state';
import { greenletLine } from '../../shared/present/greenlet-words';

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
    chosen = buckets.flat().slice(0, maxThreads).sort((a, b) => a.id - b.id);
  }
  return { threads: chosen.map((g) => ({ id: g.id, name: greenletLine(g) })), omitted: live.length - chosen.length };
}
