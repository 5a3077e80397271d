/**
 * What a gevent object shows when expanded in Variables, Watch or the Debug
 * Console: the facts the board shows, from the adapter's trace model (a
 * Queue's items, maxsize, getters and putters; an Event's or AsyncResult's
 * flag, value, exception and waiters; a lock's holders, counter and waiters),
 * each greenlet expandable to its Greenlet view, and the object's own Python
 * attributes (the runtime's reference) last.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceState } from '../../shared/model/state';
import { greenletLine, labelIn, objectLabelIn } from '../../shared/present/greenlet-words';

/** A list longer than this is paged by the client (indexedVariables). */
const PAGE_ABOVE = 100;

export type ObjectRef =
  | { readonly kind: 'object'; readonly obj: number; readonly raw: number }
  | { readonly kind: 'items'; readonly obj: number }
  | { readonly kind: 'greenlets'; readonly ids: readonly number[] };

/** Allocates a reference the session can answer (greenlet-scope.ts's table). */
export type Alloc = (r: ObjectRef | { readonly kind: 'greenlet'; readonly g: number; readonly raw?: number }) => number;

export const RAW_ATTRIBUTES = 'Python attributes';

/** A one-line summary of an object the model knows: `Queue#1 · 3 items, 1 getter`; null when it does not. */
export function objectSummary(state: TraceState, id: number): string | null {
  const q = state.queues.find((x) => x.id === id);
  if (q !== undefined) return `${q.label} · ${count(q.items.length, 'item')}${q.maxsize !== null ? ` of ${q.maxsize}` : ''}${waiting(q.getters.length, 'getter')}${waiting(q.putters.length, 'putter')}`;
  const e = state.events.find((x) => x.id === id);
  if (e !== undefined) return `${e.label} · ${e.set ? 'set' : 'not set'}${waiting(e.waiters.length, 'waiter')}`;
  const l = state.locks.find((x) => x.id === id);
  if (l !== undefined) return `${l.label} · ${l.holders.length > 0 ? `held by ${labelIn(state, l.holders[0]!)}` : 'free'}${waiting(l.waiters.length, 'waiter')}`;
  return null;
}

/** Which children the client asks for: DAP's variables filter, start and count. */
export interface Window {
  readonly filter?: 'named' | 'indexed';
  readonly start?: number;
  readonly count?: number;
}

export function objectVariables(r: ObjectRef, state: TraceState, alloc: Alloc, window: Window = {}): DebugProtocol.Variable[] {
  switch (r.kind) {
    case 'object':
      // Cython's classes (compiled gevent) keep no attributes the runtime can read without running their code.
      return r.raw > 0 ? [...facts(r.obj, state, alloc), ref(RAW_ATTRIBUTES, 'the object as Python holds it', r.raw)] : facts(r.obj, state, alloc);
    case 'items': {
      // A paged list has only indexed children.
      if (window.filter === 'named') return [];
      const items = state.queues.find((x) => x.id === r.obj)?.items ?? [];
      const start = window.start ?? 0;
      const end = window.count !== undefined && window.count > 0 ? start + window.count : items.length;
      return items.slice(start, end).map((v, i) => leaf(`[${start + i}]`, v));
    }
    case 'greenlets':
      return r.ids.map((g, i) => {
        const view = state.greenlets.find((x) => x.id === g);
        return ref(`[${i}]`, view !== undefined ? greenletLine(view) : `g${g}`, view !== undefined ? alloc({ kind: 'greenlet', g }) : 0);
      });
  }
}

function facts(id: number, state: TraceState, alloc: Alloc): DebugProtocol.Variable[] {
  const greenlets = (name: string, ids: readonly number[]): DebugProtocol.Variable =>
    ref(name, ids.length === 0 ? 'none' : ids.map((g) => labelIn(state, g)).join(', '), ids.length === 0 ? 0 : alloc({ kind: 'greenlets', ids }));
  const q = state.queues.find((x) => x.id === id);
  if (q !== undefined) {
    const items = ref('items', `${count(q.items.length, 'item')}`, q.items.length === 0 ? 0 : alloc({ kind: 'items', obj: id }));
    if (q.items.length > PAGE_ABOVE) items.indexedVariables = q.items.length;
    return [
      leaf('kind', `${q.label} (${q.className})`), items, leaf('qsize()', String(q.items.length)),
      leaf('maxsize', q.maxsize === null ? 'None' : String(q.maxsize)), greenlets('getters', q.getters), greenlets('putters', q.putters),
    ];
  }
  const e = state.events.find((x) => x.id === id);
  if (e !== undefined) {
    const out = [leaf('kind', `${e.label} (${e.className})`), leaf(e.type === 'Event' ? 'is_set()' : 'ready()', e.set ? 'True' : 'False')];
    if (e.type === 'AsyncResult') out.push(leaf('value', e.value ?? 'None'), leaf('exception', e.exception ?? 'None'));
    out.push(greenlets('waiters', e.waiters));
    return out;
  }
  const l = state.locks.find((x) => x.id === id);
  if (l !== undefined) {
    return [
      leaf('kind', `${l.label} (${l.className})`),
      leaf('counter', l.capacity === null ? 'unbounded' : String(Math.max(0, l.capacity - l.holders.length))),
      greenlets('holders', l.holders), greenlets('waiters', l.waiters),
    ];
  }
  return [leaf('kind', objectLabelIn(state, id))];
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function waiting(n: number, what: string): string {
  return n === 0 ? '' : `, ${count(n, what)}`;
}

function leaf(name: string, value: string): DebugProtocol.Variable {
  return { name, value, variablesReference: 0 };
}

function ref(name: string, value: string, variablesReference: number): DebugProtocol.Variable {
  return { name, value, variablesReference };
}
