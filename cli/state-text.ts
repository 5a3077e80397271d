/** The compact human summary of a TraceState printed by `state --text`. */

import type { GreenletViews } from '../shared/model/snapshot';
import type { GreenletView, TraceState } from '../shared/model/state';
import { stateText } from '../shared/present/greenlet-words';

export function formatStateText(s: TraceState): string[] {
  return [...stateTextLines(s)];
}

/**
 * The same lines one at a time, for states too large to hold twice; with
 * `views` (TraceModel.latestParts) the greenlets are made one at a time too.
 */
export function* stateTextLines(s: TraceState, views: GreenletViews = arrayViews(s.greenlets)): Generator<string> {
  const who = (ids: readonly number[]): string => (ids.length === 0 ? '-' : ids.map((id) => views.label(id) ?? `g${id}`).join(', '));
  const running = s.current === null ? 'none' : views.label(s.current) ?? `g${s.current}`;
  yield s.seq < 0 ? 'before the first event' : `after event ${s.seq} at ${seconds(s.t)} s; running: ${running}`;

  yield `greenlets (${views.count}):`;
  // A loop, not Math.max(...labels): a spread of 200k arguments overflows the stack.
  let width = 0;
  for (const g of views.each()) width = Math.max(width, g.label.length);
  for (const g of views.each()) yield (`  ${g.label.padEnd(width)}  ${describeGreenlet(g)}`);

  if (s.queues.length > 0) yield (`queues (${s.queues.length}):`);
  for (const q of s.queues) {
    const bound = q.maxsize === null ? 'unbounded' : `maxsize ${q.maxsize}`;
    yield `  ${q.label} (${q.className}, ${bound}): [${q.items.join(', ')}]  getters: ${who(q.getters)}  putters: ${who(q.putters)}`;
  }
  if (s.events.length > 0) yield (`events (${s.events.length}):`);
  for (const e of s.events) {
    let status = e.set ? 'set' : 'not set';
    if (e.value !== null) status += `, value ${e.value}`;
    if (e.exception !== null) status += `, exception ${e.exception}`;
    yield `  ${e.label} (${e.className}): ${status}  waiters: ${who(e.waiters)}`;
  }
  if (s.locks.length > 0) yield (`locks (${s.locks.length}):`);
  for (const l of s.locks) {
    const cap = l.capacity === null ? '' : `, capacity ${l.capacity}`;
    yield `  ${l.label} (${l.className}${cap}): holders: ${who(l.holders)}  waiters: ${who(l.waiters)}`;
  }

  const tail: string[] = [];
  if (s.marks.length > 0) tail.push(`marks: ${s.marks.length} (last: ${JSON.stringify(s.marks.at(-1)!.label)})`);
  if (s.errors.length > 0) tail.push(`runtime errors: ${s.errors.length} (last: ${s.errors.at(-1)!.message})`);
  if (s.end !== null) tail.push(`ended with exit code ${s.end.code}`);
  if (s.inconsistencies > 0) tail.push(`model inconsistencies: ${s.inconsistencies}`);
  if (tail.length > 0) yield tail.join('; ');
}

/** Views over greenlets already made. */
export function arrayViews(greenlets: readonly GreenletView[]): GreenletViews {
  const byId = new Map(greenlets.map((g) => [g.id, g]));
  return {
    count: greenlets.length,
    *each() {
      yield* greenlets;
    },
    page: (start, count) => greenlets.slice(start, start + count),
    label: (id) => byId.get(id)?.label,
  };
}

function describeGreenlet(g: GreenletView): string {
  const parts: string[] = [stateText(g)];
  if (g.blockedOn?.timeout != null) parts.push(`(timeout ${g.blockedOn.timeout} s)`);
  const f = g.flags;
  const set = (['started', 'ready', 'successful', 'killed'] as const).filter((k) => f[k]);
  if (set.length > 0) parts.push(`[${set.join(' ')}]`);
  if (f.value !== null) parts.push(`value=${f.value}`);
  if (f.exception !== null) parts.push(`exception=${f.exception}`);
  else if (g.exceptionInfo !== null) parts.push(`raised ${g.exceptionInfo.type}: ${g.exceptionInfo.message}`);
  return parts.join(' ');
}

/** Microseconds as seconds, without float noise. */
export function seconds(us: number): string {
  return (us / 1e6).toFixed(6).replace(/\.?0+$/, '') || '0';
}
