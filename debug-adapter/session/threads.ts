/**
 * Greenlets as DAP threads: one thread per live greenlet (thread id =
 * greenlet id), named with what it is doing, e.g. "g3 worker · blocked on
 * Queue#1.get". A program may have thousands; VS Code's Call Stack view does
 * not, so at most `maxThreads` are listed, chosen by how likely the user is
 * to want them: the stopped and running greenlet, then blocked ones.
 */
import type { BlockReason } from '../../shared/trace/events';
import type { BlockedOn, GreenletView, TraceState } from '../../shared/model/state';

export interface ThreadEntry {
  readonly id: number;
  readonly name: string;
}

export interface ThreadList {
  readonly threads: ThreadEntry[];
  /** Live greenlets left out because of the cap. */
  readonly omitted: number;
}

/** What a wait is called after the object's label: Queue#2.get, join g5, sleep. */
const REASON_WORDS: Readonly<Record<BlockReason, string>> = {
  other: '',
  sleep: 'sleep',
  queue_get: '.get',
  queue_put: '.put',
  event_wait: '.wait',
  result_get: '.get',
  join: 'join',
  lock_acquire: '.acquire',
  io: 'I/O',
};

export function waitText(b: BlockedOn): string {
  const word = REASON_WORDS[b.reason];
  switch (b.reason) {
    case 'join':
      return b.obj !== 0 ? `join g${b.obj}` : 'join';
    case 'sleep':
    case 'io':
      return word;
    case 'other':
      // gevent.joinall, wait() on several objects, a raw hub.switch(): no single object to name.
      return b.objLabel ?? '';
    default:
      return b.objLabel !== null ? `${b.objLabel}${word}` : word.slice(1);
  }
}

export function statusText(g: GreenletView): string {
  switch (g.state) {
    case 'blocked': {
      const on = g.blockedOn !== null ? waitText(g.blockedOn) : '';
      return on !== '' ? `blocked on ${on}` : 'blocked';
    }
    case 'not_started':
      return 'not started';
    case 'dead_ok':
    case 'dead_exception':
      return 'dead';
    default:
      return g.state;
  }
}

export function threadName(g: GreenletView): string {
  return `${g.label} · ${statusText(g)}`;
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
  return { threads: chosen.map((g) => ({ id: g.id, name: threadName(g) })), omitted: live.length - chosen.length };
}
