/**
 * Turns the internal working state into the public TraceState. Everything
 * returned is freshly allocated, so callers may keep or change it without
 * disturbing the model.
 */

import type {
  BlockedOn, EventObjectView, GreenletView, LockView, MarkEntry, QueueView, RuntimeErrorEntry, TraceState,
} from './state';
import { neutralizeBidi } from './display-text';
import type { GreenletRec, WorkingState } from './working-state';

export function greenletName(g: GreenletRec): string {
  return neutralizeBidi(g.name !== '' ? g.name : g.func !== '' ? g.func : `greenlet-${g.id}`);
}

export function greenletLabel(g: GreenletRec): string {
  return `g${g.id} ${greenletName(g)}`;
}

interface Waiting {
  getters: GreenletRec[];
  putters: GreenletRec[];
  waiters: GreenletRec[];
}

/**
 * The greenlets of a state, made into views one at a time: a printer of a
 * million greenlets need not hold a million views (and their labels) at once.
 */
export interface GreenletViews {
  readonly count: number;
  /** The views in id order, each made afresh. */
  each(): Generator<GreenletView>;
  /** The views of the greenlets at indexes start .. start + count - 1 in id order: a page costs its own size. */
  page(start: number, count: number): GreenletView[];
  /** A greenlet's label ("g<id> <name>"), undefined for an unknown id. */
  label(id: number): string | undefined;
}

export function buildSnapshot(
  s: WorkingState,
  allMarks: readonly MarkEntry[],
  allErrors: readonly RuntimeErrorEntry[],
): TraceState {
  const { state, greenlets } = buildSnapshotParts(s, allMarks, allErrors);
  return { ...state, greenlets: Array.from(greenlets.each()) };
}

/** The state with its `greenlets` left empty, and the greenlets to be viewed one by one. */
export function buildSnapshotParts(
  s: WorkingState,
  allMarks: readonly MarkEntry[],
  allErrors: readonly RuntimeErrorEntry[],
): { state: TraceState; greenlets: GreenletViews } {
  const greenlets = sortedById(s.greenlets);
  const waiting = collectWaiting(greenlets);
  const queues: QueueView[] = [];
  const events: EventObjectView[] = [];
  const locks: LockView[] = [];
  for (const o of sortedById(s.objects)) {
    const w = waiting.get(o.id);
    const ids = (list: GreenletRec[] | undefined): number[] => (list ?? []).map((g) => g.id);
    switch (o.category) {
      case 'queue':
        queues.push({
          id: o.id, label: o.label, type: o.okind, className: o.className, maxsize: o.capacity,
          items: o.items.toArray(), getters: ids(w?.getters), putters: ids(w?.putters),
        });
        break;
      case 'event':
        events.push({
          id: o.id, label: o.label, type: o.okind === 'AsyncResult' ? 'AsyncResult' : 'Event',
          className: o.className, set: o.set, value: o.value, exception: o.exception, waiters: ids(w?.waiters),
        });
        break;
      case 'lock':
        locks.push({
          id: o.id, label: o.label, type: o.okind, className: o.className, capacity: o.capacity,
          holders: o.holders.slice(), waiters: ids(w?.waiters),
        });
        break;
    }
  }
  const views: GreenletViews = {
    count: greenlets.length,
    *each() {
      for (const g of greenlets) yield greenletView(g, s);
    },
    page(start, count) {
      return greenlets.slice(start, start + count).map((g) => greenletView(g, s));
    },
    label(id) {
      const g = s.greenlets.get(id);
      return g === undefined ? undefined : greenletLabel(g);
    },
  };
  const state: TraceState = {
    seq: s.seq,
    t: s.t,
    current: s.current,
    greenlets: [],
    queues,
    events,
    locks,
    marks: allMarks.slice(0, s.markCount).map((m) => ({ ...m, label: neutralizeBidi(m.label) })),
    errors: allErrors.slice(0, s.errorCount).map((e) => ({ ...e, message: neutralizeBidi(e.message) })),
    end: s.end,
    inconsistencies: s.inconsistencies,
  };
  return { state, greenlets: views };
}

function greenletView(g: GreenletRec, s: WorkingState): GreenletView {
  let blockedOn: BlockedOn | null = null;
  if (g.blockedOn !== null) {
    const b = g.blockedOn;
    blockedOn = { reason: b.reason, obj: b.obj, objLabel: objectLabel(s, b.reason === 'join', b.obj), timeout: b.timeout, site: b.site };
  }
  return {
    id: g.id,
    name: greenletName(g),
    label: greenletLabel(g),
    gkind: g.gkind,
    func: neutralizeBidi(g.func),
    parent: g.parent,
    spawnSite: g.spawnSite,
    state: g.state,
    blockedOn,
    flags: {
      started: g.started, ready: g.ready, successful: g.successful, killed: g.killed,
      value: g.value, exception: g.exception,
    },
    switches: g.switches,
    exceptionInfo: g.exceptionInfo === null ? null : {
      type: neutralizeBidi(g.exceptionInfo.type),
      message: neutralizeBidi(g.exceptionInfo.message),
      traceback: neutralizeBidi(g.exceptionInfo.traceback),
    },
  };
}

function objectLabel(s: WorkingState, isGreenlet: boolean, id: number): string | null {
  if (id === 0) return null;
  if (isGreenlet) {
    const g = s.greenlets.get(id);
    return g === undefined ? `g${id}` : greenletLabel(g);
  }
  return s.objects.get(id)?.label ?? `object#${id}`;
}

/**
 * Waiters per object id, in the order they blocked. `join` waits on a
 * greenlet id, a different id space, so it never counts as an object waiter.
 */
function collectWaiting(greenlets: GreenletRec[]): Map<number, Waiting> {
  const blocked = greenlets.filter((g) => g.state === 'blocked' && g.blockedOn !== null && g.blockedOn.obj !== 0 && g.blockedOn.reason !== 'join');
  blocked.sort((a, b) => a.blockedOn!.seq - b.blockedOn!.seq);
  const byObject = new Map<number, Waiting>();
  for (const g of blocked) {
    const b = g.blockedOn!;
    let w = byObject.get(b.obj);
    if (w === undefined) {
      w = { getters: [], putters: [], waiters: [] };
      byObject.set(b.obj, w);
    }
    if (b.reason === 'queue_get') w.getters.push(g);
    else if (b.reason === 'queue_put') w.putters.push(g);
    else w.waiters.push(g);
  }
  return byObject;
}

function sortedById<T extends { id: number }>(m: Map<number, T>): T[] {
  const out = Array.from(m.values());
  // Ids mostly arrive in increasing order, so this is usually a linear pass.
  out.sort((a, b) => a.id - b.id);
  return out;
}
