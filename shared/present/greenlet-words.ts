/**
 * How greenlets, their states and their waits are worded, once for every
 * surface: the DAP threads and Greenlet scope, the command line's
 * `state --text`, the board's table, tooltips, timeline and wait-for graph,
 * and the stop descriptions. A wait reads like the call the program made
 * (`Queue#1.get`, `Event#1.wait`, `join g5 worker`), a state like plain
 * English (`not started`, `failed`).
 */

import type { BlockedOn, GreenletStateName, GreenletView, TraceState } from '../model/state';
import type { BlockReason, Frame } from '../trace/events';

export const STATE_WORDS: Readonly<Record<GreenletStateName, string>> = {
  not_started: 'not started',
  runnable: 'runnable',
  running: 'running',
  blocked: 'blocked',
  dead_ok: 'dead',
  dead_exception: 'failed',
};

/** A reason on its own: tooltips, the Greenlet scope's `reason`. */
export const REASON_WORDS: Readonly<Record<BlockReason, string>> = {
  other: 'other',
  sleep: 'sleep',
  queue_get: 'queue get',
  queue_put: 'queue put',
  event_wait: 'event wait',
  result_get: 'result get',
  join: 'join',
  lock_acquire: 'lock acquire',
  io: 'I/O',
};

/** The operation a wait is, after the object's label (`Queue#1.get`) or alone (`sleep`); also the wait-for graph's edge labels. */
export const WAIT_OPERATION: Readonly<Record<BlockReason, string>> = {
  other: '',
  sleep: 'sleep',
  queue_get: 'get',
  queue_put: 'put',
  event_wait: 'wait',
  result_get: 'get',
  join: 'join',
  lock_acquire: 'acquire',
  io: 'I/O',
};

/** What a blocked greenlet waits on: `Queue#1.get`, `Event#1.wait`, `join g5 worker`, `sleep`, `I/O`; '' when nothing can be named. */
export function waitText(b: Pick<BlockedOn, 'reason' | 'obj' | 'objLabel'>): string {
  const op = WAIT_OPERATION[b.reason];
  switch (b.reason) {
    case 'join':
      return b.objLabel !== null ? `join ${b.objLabel}` : 'join';
    case 'sleep':
    case 'io':
      return op;
    case 'other':
      // gevent.joinall, wait() on several objects, a raw hub.switch(): no single object to name.
      return b.objLabel ?? '';
    default:
      return b.objLabel !== null ? `${b.objLabel}.${op}` : op;
  }
}

/** The state, and for a blocked greenlet what it waits on: `blocked on Queue#1.get`, `not started`. */
export function stateText(g: Pick<GreenletView, 'state' | 'blockedOn'>): string {
  if (g.state !== 'blocked') return STATE_WORDS[g.state];
  const on = g.blockedOn !== null ? waitText(g.blockedOn) : '';
  return on !== '' ? `blocked on ${on}` : 'blocked';
}

/** A greenlet as a list shows it: `g3 worker · blocked on Queue#1.get`. */
export function greenletLine(g: GreenletView): string {
  return `${g.label} · ${stateText(g)}`;
}

/** The longer form for tooltips: `queue get on Queue#1, timeout 2 s, at app.py:12 (worker)`. */
export function waitDetail(b: BlockedOn): string {
  const parts = [REASON_WORDS[b.reason]];
  if (b.objLabel !== null) parts.push(`on ${b.objLabel}`);
  if (b.timeout !== null) parts.push(`timeout ${b.timeout} s`);
  if (b.site !== null) parts.push(`at ${siteText(b.site)}`);
  return parts.join(', ');
}

/** A source position, file name only: `app.py:12 (worker)`. */
export function siteText(f: Frame): string {
  const file = f.file.split(/[\\/]/).pop() ?? f.file;
  return `${file}:${f.line} (${f.function})`;
}

/** A greenlet's label (`g3 worker`) in a state, or its bare id when the state does not know it. */
export function labelIn(state: TraceState, g: number): string {
  return state.greenlets.find((x) => x.id === g)?.label ?? `g${g}`;
}

/** An object's label (`Queue#1`) in a state, or `object#<id>` when the state does not know it. */
export function objectLabelIn(state: TraceState, id: number): string {
  const o = state.queues.find((x) => x.id === id) ?? state.events.find((x) => x.id === id) ?? state.locks.find((x) => x.id === id);
  return o?.label ?? `object#${id}`;
}

/** A group of alike greenlets (the board's wait-for graph and greenlet groups): `worker ×250`. */
export function groupLabel(func: string, count: number): string {
  return `${func || 'greenlet'} ×${count}`;
}

/** The same group in a sentence: `250 greenlets running worker: blocked on Queue#1.get`. */
export function groupSentence(func: string, count: number, sample: Pick<GreenletView, 'state' | 'blockedOn'>): string {
  return `${count} greenlets running ${func || 'a greenlet'}: ${stateText(sample)}`;
}
