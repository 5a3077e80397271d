/**
 * Converts a trace to Chrome trace-event JSON, the format chrome://tracing
 * and the Perfetto UI open. Pure: events in, a JSON-able object out (no fs,
 * no Node), so the webview could use it as well as the CLI.
 *
 * - one track per greenlet: pid = the program's pid, tid = greenlet id,
 *   named "g3 worker" (the model's label, after any rename) and sorted by id;
 * - "X" slices: "running" from a switch into a greenlet to the next switch
 *   out; waits from `block` to its `ready` (or the switch into it, or its
 *   exit), named by reason and object as the model labels them
 *   ("queue_get Queue#1", "sleep 0.1s", "join g5");
 * - "i" instants: "spawn" and "exception <type>" on the greenlet's track,
 *   marks with global scope;
 * - "s"/"f" flow pairs from the waker to the woken greenlet for `ready`
 *   events by someone other than the hub, ending where the woken greenlet
 *   next starts running (binding to its "running" slice);
 * - whatever is still open at the end is closed at the last event's time.
 *
 * Times are the trace's `t`: microseconds since the header's t0.
 */

import { assertNever } from '../assert-never';
import { applyEvent } from '../model/apply';
import { greenletLabel } from '../model/snapshot';
import { emptyState, type WorkingState } from '../model/working-state';
import type { BlockEvent, Header, TraceEvent } from '../trace/events';

export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 's' | 'f' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  id?: number;
  bp?: 'e';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  metadata: Record<string, unknown>;
}

interface OpenSpan {
  readonly start: number;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

interface PendingFlow {
  readonly id: number;
  readonly by: number;
  readonly t: number;
}

/** Seconds without float noise: 0.1 -> "0.1s". */
function secondsLabel(s: number): string {
  return `${Number(s.toFixed(6))}s`;
}

/** The name of a wait slice: reason, then what it waits on. */
export function waitName(ev: BlockEvent, objectLabel: (id: number) => string): string {
  if (ev.reason === 'sleep') return ev.timeout === null ? 'sleep' : `sleep ${secondsLabel(ev.timeout)}`;
  if (ev.obj === 0) return ev.reason;
  if (ev.reason === 'join') return `join g${ev.obj}`;
  return `${ev.reason} ${objectLabel(ev.obj)}`;
}

/** Streaming converter: `add` batches of events in order, then `finish`. */
export class PerfettoExporter {
  private readonly model: WorkingState = emptyState(0);
  private readonly out: ChromeTraceEvent[] = [];
  private readonly waits = new Map<number, OpenSpan>();
  private readonly flows = new Map<number, PendingFlow[]>();
  private running: { g: number; start: number } | null = null;
  private nextFlowId = 1;
  private lastT = 0;
  private count = 0;
  private pid = 0;

  add(events: readonly TraceEvent[]): void {
    for (const ev of events) this.one(ev);
  }

  finish(header: Header | null): ChromeTrace {
    this.pid = header?.pid ?? 0;
    const end = this.lastT;
    if (this.running !== null) this.closeRunning(end);
    for (const g of [...this.waits.keys()]) this.closeWait(g, end);
    for (const g of [...this.flows.keys()]) this.endFlows(g, end);

    const pid = this.pid;
    const meta: ChromeTraceEvent[] = [];
    const argv = header?.argv ?? [];
    meta.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: argv.length > 0 ? argv.join(' ') : 'greenlet-lens trace' } });
    const greenlets = [...this.model.greenlets.values()].sort((a, b) => a.id - b.id);
    for (const g of greenlets) {
      meta.push({ name: 'thread_name', ph: 'M', pid, tid: g.id, args: { name: greenletLabel(g) } });
      meta.push({ name: 'thread_sort_index', ph: 'M', pid, tid: g.id, args: { sort_index: g.id } });
    }
    const timed = this.out.map((e) => ({ ...e, pid }));
    // Stable: events at one time keep the order they were made in.
    timed.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
    const metadata: Record<string, unknown> = { source: 'greenlet-lens', events: this.count, durationUs: end };
    if (header !== null) {
      Object.assign(metadata, {
        pid: header.pid, argv: header.argv, cwd: header.cwd, python: header.python,
        implementation: header.implementation, greenlet: header.greenlet, gevent: header.gevent,
        loop: header.loop, startedAt: header.startedAt, clock: header.clock,
      });
    }
    return { traceEvents: [...meta, ...timed], displayTimeUnit: 'ms', metadata };
  }

  private one(ev: TraceEvent): void {
    applyEvent(this.model, ev);
    this.count++;
    this.lastT = ev.t;
    const t = ev.t;
    switch (ev.kind) {
      case 'spawn': {
        if (ev.g === 0) break;
        const args: Record<string, unknown> = { parent: ev.parent, gkind: ev.gkind, func: ev.func };
        if (ev.site !== null) args['site'] = `${ev.site.file}:${ev.site.line}`;
        this.instant(t, ev.g, 'spawn', args);
        break;
      }
      case 'block': {
        this.closeWait(ev.g, t);
        const args: Record<string, unknown> = { reason: ev.reason, obj: ev.obj, timeout: ev.timeout };
        if (ev.site !== null) args['site'] = `${ev.site.file}:${ev.site.line} ${ev.site.function}`;
        const name = waitName(ev, (id) => this.model.objects.get(id)?.label ?? `object#${id}`);
        this.waits.set(ev.g, { start: t, name, args });
        break;
      }
      case 'ready': {
        this.closeWait(ev.g, t);
        const byHub = this.model.greenlets.get(ev.by)?.gkind === 'hub';
        if (ev.by !== 0 && ev.by !== ev.g && !byHub) {
          let list = this.flows.get(ev.g);
          if (list === undefined) this.flows.set(ev.g, (list = []));
          list.push({ id: this.nextFlowId++, by: ev.by, t });
        }
        break;
      }
      case 'switch':
        // A throw may resume a blocked greenlet without a `ready`.
        if (ev.to !== 0) this.closeWait(ev.to, t);
        break;
      case 'exit':
        this.closeWait(ev.g, t);
        break;
      case 'exception':
        this.instant(t, ev.g, `exception ${ev.type}`, { type: ev.type, message: ev.message });
        break;
      case 'mark':
        this.out.push({ name: ev.label, ph: 'i', s: 'g', pid: 0, tid: this.model.current ?? 0, ts: t, cat: 'mark' });
        break;
      // Object and queue contents, names and the end show in the model, not as slices.
      case 'rename': case 'object': case 'put': case 'get': case 'qsync': case 'set': case 'setexc': case 'clear':
      case 'acquire': case 'release': case 'error': case 'end': case 'observed': case 'named':
        break;
      default:
        assertNever(ev, 'event kind');
    }
    // Who runs is the model's call (it also knows the main greenlet runs from its spawn).
    const current = this.model.current;
    if ((this.running?.g ?? null) !== current) {
      if (this.running !== null) this.closeRunning(t);
      if (current !== null) {
        this.running = { g: current, start: t };
        this.endFlows(current, t);
      }
    } else if (ev.kind === 'ready' && current === ev.g) {
      // Woken while already running: the wake-up lands now.
      this.endFlows(ev.g, t);
    }
  }

  private instant(t: number, g: number, name: string, args: Record<string, unknown>): void {
    this.out.push({ name, ph: 'i', s: 't', pid: 0, tid: g, ts: t, cat: 'greenlet', args });
  }

  private closeRunning(t: number): void {
    const r = this.running!;
    this.running = null;
    this.out.push({ name: 'running', ph: 'X', pid: 0, tid: r.g, ts: r.start, dur: t - r.start, cat: 'running' });
  }

  private closeWait(g: number, t: number): void {
    const w = this.waits.get(g);
    if (w === undefined) return;
    this.waits.delete(g);
    this.out.push({ name: w.name, ph: 'X', pid: 0, tid: g, ts: w.start, dur: t - w.start, cat: 'wait', args: w.args });
  }

  /** The woken greenlet runs (or the trace ends): its pending wake-ups become flow pairs. */
  private endFlows(g: number, t: number): void {
    const list = this.flows.get(g);
    if (list === undefined) return;
    this.flows.delete(g);
    for (const f of list) {
      this.out.push({ name: 'wake', ph: 's', pid: 0, tid: f.by, ts: f.t, cat: 'wake', id: f.id });
      this.out.push({ name: 'wake', ph: 'f', bp: 'e', pid: 0, tid: g, ts: t, cat: 'wake', id: f.id });
    }
  }
}

/** The whole conversion at once. */
export function toPerfetto(header: Header | null, events: readonly TraceEvent[]): ChromeTrace {
  const x = new PerfettoExporter();
  x.add(events);
  return x.finish(header);
}

/** The trace as JSON text, one trace event per line (diffable, and no giant line). */
export function perfettoJson(trace: ChromeTrace): string {
  const events = trace.traceEvents.map((e) => JSON.stringify(e)).join(',\n');
  return `{"traceEvents":[\n${events}\n],\n"displayTimeUnit":${JSON.stringify(trace.displayTimeUnit)},\n"metadata":${JSON.stringify(trace.metadata)}}\n`;
}

/**
 * Several processes of one recording (a parent and its forked children) on
 * one time axis: each trace's times count from its own t0 on the machine's
 * monotonic clock, so each is moved by its t0's distance from the earliest.
 */
export function mergeProcesses(parts: readonly { trace: ChromeTrace; t0: number }[]): ChromeTrace {
  if (parts.length === 1) return parts[0]!.trace;
  const first = Math.min(...parts.map((p) => p.t0));
  const traceEvents: ChromeTraceEvent[] = [];
  for (const { trace, t0 } of parts) {
    const shift = t0 - first;
    for (const e of trace.traceEvents) traceEvents.push(e.ts === undefined ? e : { ...e, ts: e.ts + shift });
  }
  return {
    traceEvents,
    displayTimeUnit: 'ms',
    metadata: { source: 'greenlet-lens', processes: parts.map((p) => p.trace.metadata) },
  };
}
