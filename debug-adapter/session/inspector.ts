/**
 * Answers the "what does the stopped program look like" requests: threads,
 * stackTrace, scopes, variables. Frames, locals and globals come from the
 * runtime; everything about greenlets comes from the trace model, read once
 * per model change however many requests VS Code sends for one stop.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import type { TraceState } from '../../shared/model/state';
import type { LiveRuntime } from '../runtime/live-runtime';
import type { RuntimeFrame } from '../runtime/protocol';
import { LocalRefs, localVariables } from './greenlet-scope';
import { IdTable, staleId, unknownId } from './id-table';
import { listThreads, type ThreadList } from './threads';

/** When VS Code asks for "all" frames (levels 0), the runtime is asked for this many. */
const ALL_FRAMES = 10_000;
/**
 * Ids of the adapter's own frames (a greenlet that has not run has no Python
 * frame; it gets one at its spawn site), above any id the runtime gives.
 */
export const SPAWN_FRAME_BASE = 2_000_000_000;

export interface LineMapper {
  toClient(line: number): number;
}

/** What the inspector needs of the live runtime (a stand-in in unit tests). */
export type InspectedRuntime = Pick<LiveRuntime, 'model' | 'stack' | 'scopes' | 'variables'>;

export class Inspector {
  /** Runtime frame id → greenlet, for the Greenlet scope; runtime frame ids are valid until the program runs. */
  private readonly frameOwner = new Map<number, number>();
  /** The runtime's frame ids only increase within a session: any at or below this one was given before. */
  private newestRuntimeFrame = 0;
  /** Spawn-site frames: frame id → greenlet. */
  private readonly spawnFrames = new IdTable<number>(SPAWN_FRAME_BASE, 'frame');
  private readonly refs = new LocalRefs();
  /** The runtime's variable references given at this stop, and the newest ever (they only increase too). */
  private readonly runtimeRefs = new Set<number>();
  private newestRuntimeRef = 0;
  private cached: { count: number; state: TraceState } | null = null;

  constructor(
    private readonly runtime: InspectedRuntime,
    private readonly lines: LineMapper,
  ) {}

  /** The model's latest state, rebuilt only when events arrived since the last call. */
  state(): TraceState {
    const count = this.runtime.model.eventCount;
    if (this.cached === null || this.cached.count !== count) this.cached = { count, state: this.runtime.model.latest() };
    return this.cached.state;
  }

  /** The program ran: frame ids and the adapter's variable references are stale. */
  invalidate(): void {
    this.frameOwner.clear();
    this.spawnFrames.reset();
    this.refs.reset();
    this.runtimeRefs.clear();
  }

  threads(maxThreads: number, focus: number | null): ThreadList {
    const list = listThreads(this.state(), maxThreads, focus);
    // Before the first trace event VS Code still needs a thread to show a stop or a pause on.
    if (list.threads.length === 0) return { threads: [{ id: 1, name: 'g1 main' }], omitted: 0 };
    return list;
  }

  async stackTrace(args: DebugProtocol.StackTraceArguments): Promise<DebugProtocol.StackTraceResponse['body']> {
    const startFrame = args.startFrame ?? 0;
    const levels = args.levels !== undefined && args.levels > 0 ? args.levels : ALL_FRAMES;
    const body = await this.runtime.stack(args.threadId, startFrame, levels);
    const frames = body.frames.map((f) => {
      this.frameOwner.set(f.id, args.threadId);
      this.newestRuntimeFrame = Math.max(this.newestRuntimeFrame, f.id);
      return this.stackFrame(f);
    });
    if (body.total === 0 && startFrame === 0) {
      const spawned = this.spawnFrame(args.threadId);
      if (spawned !== null) return { stackFrames: [spawned], totalFrames: 1 };
    }
    return { stackFrames: frames, totalFrames: body.total };
  }

  async scopes(args: DebugProtocol.ScopesArguments): Promise<DebugProtocol.ScopesResponse['body']> {
    if (args.frameId >= SPAWN_FRAME_BASE) {
      const g = this.spawnFrames.lookup(args.frameId);
      return { scopes: [{ name: 'Greenlet', variablesReference: this.refs.alloc({ kind: 'greenlet', g }), expensive: false }] };
    }
    const g = this.frameOwner.get(args.frameId);
    if (g === undefined) throw args.frameId <= this.newestRuntimeFrame ? staleId('frame', args.frameId) : unknownId('frame', args.frameId);
    const body = await this.runtime.scopes(args.frameId);
    const scopes: DebugProtocol.Scope[] = body.scopes.map((s) => {
      this.noteRuntimeRef(s.variablesReference);
      const scope: DebugProtocol.Scope = { name: s.name, variablesReference: s.variablesReference, expensive: false };
      if (s.name === 'Locals') scope.presentationHint = 'locals';
      return scope;
    });
    const greenletScope: DebugProtocol.Scope = { name: 'Greenlet', variablesReference: this.refs.alloc({ kind: 'greenlet', g }), expensive: false };
    // After Locals (which VS Code expands), before Globals.
    scopes.splice(scopes.findIndex((s) => s.name === 'Locals') + 1, 0, greenletScope);
    return { scopes };
  }

  async variables(args: DebugProtocol.VariablesArguments): Promise<DebugProtocol.VariablesResponse['body']> {
    const ref = args.variablesReference;
    if (LocalRefs.isLocal(ref)) return { variables: localVariables(this.refs.lookup(ref), this.state(), this.refs) };
    // The runtime would refuse it too, but only the adapter can say it is from an earlier stop.
    if (!this.runtimeRefs.has(ref) && ref <= this.newestRuntimeRef) throw staleId('variables reference', ref);
    const body = await this.runtime.variables(ref, args.start, args.count);
    return {
      variables: body.variables.map((v) => {
        this.noteRuntimeRef(v.variablesReference);
        return { name: v.name, value: v.value, type: v.type, variablesReference: v.variablesReference };
      }),
    };
  }

  private noteRuntimeRef(ref: number): void {
    if (ref <= 0) return;
    this.runtimeRefs.add(ref);
    this.newestRuntimeRef = Math.max(this.newestRuntimeRef, ref);
  }

  /** A greenlet with no Python frame (not run yet): one frame at its spawn site, for its Greenlet scope. */
  private spawnFrame(g: number): DebugProtocol.StackFrame | null {
    const view = this.state().greenlets.find((x) => x.id === g);
    if (view === undefined || view.state === 'running') return null;
    const id = this.spawnFrames.alloc(g);
    const what = view.state === 'dead_ok' || view.state === 'dead_exception' ? 'has ended' : 'has not run yet';
    const frame: DebugProtocol.StackFrame = { id, name: `${view.label} ${what} (spawned here)`, line: 0, column: 0, presentationHint: 'label' };
    const site = view.spawnSite;
    if (site !== null && path.isAbsolute(site.file)) {
      frame.source = { name: path.basename(site.file), path: site.file };
      frame.line = this.lines.toClient(site.line);
      frame.column = 1;
      frame.presentationHint = 'subtle';
    }
    return frame;
  }

  private stackFrame(f: RuntimeFrame): DebugProtocol.StackFrame {
    const frame: DebugProtocol.StackFrame = { id: f.id, name: f.name, line: this.lines.toClient(f.line), column: 1 };
    // "<string>", "<frozen importlib._bootstrap>": no file to open.
    if (path.isAbsolute(f.file)) frame.source = { name: path.basename(f.file), path: f.file };
    else frame.source = { name: f.file, presentationHint: 'deemphasize' };
    return frame;
  }
}
