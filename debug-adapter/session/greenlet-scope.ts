/**
 * The "Greenlet" scope shown next to Locals and Globals: what gevent knows
 * about the selected greenlet (started, ready(), successful(), value,
 * exception), who spawned it and where, and what it waits on. Built from the
 * adapter's trace model, so it costs the runtime nothing.
 *
 * Its variable references are the adapter's own and live in a range the
 * runtime's never reach (>= LOCAL_REF_BASE), so one number tells where a
 * `variables` request must go. Like the runtime's, they never repeat within
 * a session.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { GreenletView, TraceState } from '../../shared/model/state';
import type { Frame } from '../../shared/trace/events';
import { REASON_WORDS, stateText, waitText } from '../../shared/present/greenlet-words';
import { IdTable } from '../target/id-table';
import { RAW_ATTRIBUTES, objectVariables, type ObjectRef, type Window } from './object-scope';

export const LOCAL_REF_BASE = 1_000_000_000;

export type LocalRef =
  /** raw: the greenlet object's own Python attributes (the runtime's reference), when reached from a value. */
  | { readonly kind: 'greenlet'; readonly g: number; readonly raw?: number }
  | ObjectRef
  | { readonly kind: 'waiting'; readonly g: number }
  | { readonly kind: 'exception'; readonly g: number };

/** The adapter's variable references; valid until the program runs again. */
export class LocalRefs extends IdTable<LocalRef> {
  constructor() {
    super(LOCAL_REF_BASE, 'variables reference');
  }

  static isLocal(ref: number): boolean {
    return ref >= LOCAL_REF_BASE;
  }
}

export function localVariables(r: LocalRef, state: TraceState, refs: LocalRefs, window: Window = {}): DebugProtocol.Variable[] {
  if (r.kind === 'object' || r.kind === 'items' || r.kind === 'greenlets') return objectVariables(r, state, (x) => refs.alloc(x), window);
  const g = state.greenlets.find((x) => x.id === r.g);
  if (g === undefined) return [leaf('greenlet', `g${r.g} is not in the trace`)];
  switch (r.kind) {
    case 'greenlet': {
      const out = greenletVariables(g, state, refs);
      if (r.raw !== undefined && r.raw > 0) out.push({ name: RAW_ATTRIBUTES, value: 'the greenlet as Python holds it', variablesReference: r.raw });
      return out;
    }
    case 'waiting':
      return waitingVariables(g);
    case 'exception':
      return exceptionVariables(g);
  }
}

function greenletVariables(g: GreenletView, state: TraceState, refs: LocalRefs): DebugProtocol.Variable[] {
  const parent = g.parent === 0 ? null : state.greenlets.find((x) => x.id === g.parent);
  const out: DebugProtocol.Variable[] = [
    leaf('name', g.name),
    leaf('id', `g${g.id}`),
    leaf('kind', g.gkind),
    leaf('state', stateText(g)),
    leaf('started', py(g.flags.started)),
    leaf('ready()', py(g.flags.ready)),
    leaf('successful()', py(g.flags.successful)),
    leaf('value', g.flags.value ?? 'None'),
  ];
  const exception = leaf('exception', g.flags.exception ?? g.exceptionInfo?.message ?? 'None');
  if (g.exceptionInfo !== null) exception.variablesReference = refs.alloc({ kind: 'exception', g: g.id });
  out.push(exception);
  if (g.flags.killed) out.push(leaf('killed', 'True (ended by GreenletExit)'));
  out.push(
    leaf('function', g.func !== '' ? g.func : '?'),
    leaf('parent', g.parent === 0 ? 'None' : parent !== undefined && parent !== null ? parent.label : `g${g.parent}`),
    leaf('spawned at', site(g.spawnSite)),
  );
  if (g.state === 'blocked' && g.blockedOn !== null) {
    const waiting = leaf('waiting on', waitText(g.blockedOn) || REASON_WORDS[g.blockedOn.reason]);
    waiting.variablesReference = refs.alloc({ kind: 'waiting', g: g.id });
    out.push(waiting);
  }
  out.push(leaf('switches', String(g.switches)));
  return out;
}

function waitingVariables(g: GreenletView): DebugProtocol.Variable[] {
  const b = g.blockedOn;
  if (b === null) return [leaf('waiting on', 'nothing')];
  return [
    leaf('reason', REASON_WORDS[b.reason]),
    leaf('object', b.objLabel ?? 'None'),
    leaf('timeout', b.timeout === null ? 'None' : `${b.timeout} s`),
    leaf('at', site(b.site)),
  ];
}

function exceptionVariables(g: GreenletView): DebugProtocol.Variable[] {
  const e = g.exceptionInfo;
  if (e === null) return [];
  return [leaf('type', e.type), leaf('message', e.message), leaf('traceback', e.traceback)];
}

function leaf(name: string, value: string): DebugProtocol.Variable {
  return { name, value, variablesReference: 0 };
}

function py(b: boolean): string {
  return b ? 'True' : 'False';
}

function site(f: Frame | null): string {
  return f === null ? 'unknown' : `${f.file}:${f.line} (${f.function})`;
}
