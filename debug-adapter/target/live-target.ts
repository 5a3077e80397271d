/**
 * A live program as a DebugTarget: the runtime layer (runtime/live-runtime.ts)
 * plus the ids of one stop. Frames, locals and globals come from the
 * runtime; everything about greenlets comes from the trace model, read once
 * per model change however many requests one stop brings.
 *
 * Ids never repeat within a session: the runtime's frame ids and variable
 * references only increase, and so do the target's own (frames of greenlets
 * that never ran), so a request from an earlier stop is refused as stale
 * instead of being answered with the new stop's data.
 */
import type { GreenletViews } from '../../shared/model/snapshot';
import type { TraceState } from '../../shared/model/state';
import { AdapterError, AdapterErrorId } from '../errors';
import type { AttachConfig, LaunchConfig } from '../runtime/launch-config';
import { LiveRuntime } from '../runtime/live-runtime';
import type { BreakpointResult, BreakpointSpec, EvaluateContext, RuntimeValue, WaitProofResult, WaitRef } from '../runtime/protocol';
import { TypedEmitter } from '../runtime/typed-emitter';
import { IdTable, staleId, unknownId } from './id-table';
import type { DebugTarget, DebugTargetEvents, StatePage, TargetCompletion, TargetFrame, TargetScope, TargetValue, TargetVariable } from './debug-target';
import { labelFrame } from './label-frame';

/** When the client asks for "all" frames (levels 0), the runtime is asked for this many. */
const ALL_FRAMES = 10_000;
/** Ids of the target's own frames, above any id the runtime gives. */
export const SPAWN_FRAME_BASE = 2_000_000_000;

/** What the target needs of the runtime layer (a stand-in in unit tests). */
export type TargetRuntime = Pick<
  LiveRuntime,
  'model' | 'feed' | 'on' | 'justMyCode' | 'launch' | 'attach' | 'refuseChild' | 'setBreakpoints' | 'setExceptionFilters' | 'configurationDone' |
  'resume' | 'pause' | 'next' | 'stepIn' | 'stepOut' | 'stepSwitch' | 'runToGreenlet' | 'stack' | 'scopes' | 'variables' | 'waitProofs' |
  'disconnect' | 'dispose' | 'evaluate' | 'completions' | 'setVariable' | 'setExpression' | 'killGreenlets'
>;

export class LiveTarget extends TypedEmitter<DebugTargetEvents> implements DebugTarget {
  readonly capabilities = { stepBack: false };
  /** Runtime frame id → greenlet; valid until the program runs. */
  private readonly frameOwner = new Map<number, number>();
  private newestRuntimeFrame = 0;
  /** Frames of greenlets with no Python frame: frame id → greenlet. */
  private readonly spawnFrames = new IdTable<number>(SPAWN_FRAME_BASE, 'frame');
  /** The runtime's variable references given at this stop, and the newest ever (they only increase). */
  private readonly runtimeRefs = new Set<number>();
  private newestRuntimeRef = 0;
  private cached: { count: number; state: TraceState } | null = null;
  private cachedParts: { count: number; state: TraceState; greenlets: GreenletViews } | null = null;

  constructor(private readonly runtime: TargetRuntime = new LiveRuntime()) {
    super();
    runtime.on('stopped', (stop) => {
      this.invalidate();
      this.emit('stopped', stop);
    });
    runtime.on('continued', () => {
      this.invalidate();
      this.emit('continued', null);
    });
    runtime.on('output', (o) => this.emit('output', o));
    runtime.on('events', (events) => this.emit('events', events));
    runtime.on('bytes', (bytes) => this.emit('bytes', bytes));
    runtime.on('exited', (e) => this.emit('exited', e));
    runtime.on('terminated', () => this.emit('terminated', null));
    runtime.on('error', (err) => this.emit('error', err));
    runtime.on('child', (c) => this.emit('child', c));
  }

  refuseChild(token: string): void {
    this.runtime.refuseChild(token);
  }

  launch(config: LaunchConfig): Promise<void> {
    return this.runtime.launch(config);
  }

  attach(config: AttachConfig): Promise<void> {
    return this.runtime.attach(config);
  }

  get header() {
    return this.runtime.feed.header;
  }

  get eventCount(): number {
    return this.runtime.model.eventCount;
  }

  /** The model's latest state, rebuilt only when events arrived since the last call. */
  state(): TraceState {
    const count = this.runtime.model.eventCount;
    if (this.cached === null || this.cached.count !== count) this.cached = { count, state: this.runtime.model.latest() };
    return this.cached.state;
  }

  /**
   * A page of the latest state. While the program runs, every request finds
   * new events: the page's greenlet views alone are made (the whole state of
   * 10k greenlets took 15-200 ms to build), from parts that hold only until
   * the next event, so they are kept for this event count only.
   */
  statePage(start: number, count: number): StatePage {
    const events = this.runtime.model.eventCount;
    if (this.cached !== null && this.cached.count === events) {
      const s = this.cached.state;
      return { state: { ...s, greenlets: s.greenlets.slice(start, start + count) }, greenletsTotal: s.greenlets.length };
    }
    if (this.cachedParts === null || this.cachedParts.count !== events) this.cachedParts = { count: events, ...this.runtime.model.latestParts() };
    const { state, greenlets } = this.cachedParts;
    return { state: { ...state, greenlets: greenlets.page(start, count) }, greenletsTotal: greenlets.count };
  }

  setBreakpoints(file: string, breakpoints: BreakpointSpec[]): Promise<BreakpointResult[]> {
    return this.runtime.setBreakpoints(file, breakpoints);
  }

  setExceptionFilters(filters: string[]): Promise<void> {
    return this.runtime.setExceptionFilters(filters);
  }

  async configurationDone(): Promise<void> {
    await this.runtime.configurationDone();
  }

  async continue(reverse: boolean): Promise<void> {
    if (reverse) throw cannotRunBackwards();
    await this.runtime.resume();
  }

  async pause(): Promise<void> {
    await this.runtime.pause();
  }

  async stepLine(kind: 'next' | 'stepIn' | 'stepOut', g: number): Promise<void> {
    await this.runtime[kind](g);
  }

  async stepSwitch(reverse: boolean): Promise<void> {
    if (reverse) throw cannotRunBackwards();
    await this.runtime.stepSwitch();
  }

  async runToGreenlet(g: number): Promise<void> {
    await this.runtime.runToGreenlet(g);
  }

  /** While stopped: which of these waits nothing that can still run can end (only a live program can tell). */
  waitProofs(waits: WaitRef[]): Promise<WaitProofResult[]> {
    return this.runtime.waitProofs(waits);
  }

  async stack(g: number, start: number, levels: number): Promise<{ frames: TargetFrame[]; total: number }> {
    const body = await this.runtime.stack(g, start, levels > 0 ? levels : ALL_FRAMES);
    const frames = body.frames.map((f): TargetFrame => {
      this.frameOwner.set(f.id, g);
      this.newestRuntimeFrame = Math.max(this.newestRuntimeFrame, f.id);
      return f.user === false && this.runtime.justMyCode
        ? { id: f.id, name: f.name, file: f.file, line: f.line, library: true }
        : { id: f.id, name: f.name, file: f.file, line: f.line };
    });
    if (body.total === 0 && start === 0) {
      // A greenlet with no Python frame: one frame for its Greenlet scope.
      const view = this.state().greenlets.find((x) => x.id === g);
      if (view !== undefined && view.state !== 'running') {
        const what = view.state === 'dead_ok' || view.state === 'dead_exception' ? 'has ended' : 'has not run yet';
        return { frames: [labelFrame(this.spawnFrames.alloc(g), view, `${what} (spawned here)`)], total: 1 };
      }
    }
    return { frames, total: body.total };
  }

  async scopes(frameId: number): Promise<{ g: number; scopes: TargetScope[] }> {
    if (frameId >= SPAWN_FRAME_BASE) return { g: this.spawnFrames.lookup(frameId), scopes: [] };
    const g = this.frameOwner.get(frameId);
    if (g === undefined) throw frameId <= this.newestRuntimeFrame ? staleId('frame', frameId) : unknownId('frame', frameId);
    const body = await this.runtime.scopes(frameId);
    const scopes = body.scopes.map((s): TargetScope => {
      this.noteRuntimeRef(s.variablesReference);
      return s.name === 'Locals' ? { name: s.name, ref: s.variablesReference, locals: true } : { name: s.name, ref: s.variablesReference };
    });
    return { g, scopes };
  }

  async variables(ref: number, start?: number, count?: number, filter?: 'named' | 'indexed'): Promise<TargetVariable[]> {
    this.checkRef(ref);
    const body = await this.runtime.variables(ref, start, count, filter);
    return body.variables.map((v) => ({ name: v.name, ...this.value({ ...v, value: v.value }) }));
  }

  async evaluate(frameId: number | null, expression: string, context: EvaluateContext): Promise<TargetValue> {
    return this.value(await this.runtime.evaluate(this.runtimeFrame(frameId), expression, context));
  }

  async completions(frameId: number | null, text: string, column: number): Promise<TargetCompletion[]> {
    return this.runtime.completions(this.runtimeFrame(frameId), text, column);
  }

  async setVariable(ref: number, name: string, value: string): Promise<TargetValue> {
    this.checkRef(ref);
    return this.value(await this.runtime.setVariable(ref, name, value));
  }

  async setExpression(frameId: number | null, expression: string, value: string): Promise<TargetValue> {
    return this.value(await this.runtime.setExpression(this.runtimeFrame(frameId), expression, value));
  }

  async killGreenlets(gs: number[]): Promise<void> {
    await this.runtime.killGreenlets(gs);
  }

  /** The runtime would refuse it too, but only the adapter can say it is from an earlier stop. */
  private checkRef(ref: number): void {
    if (!this.runtimeRefs.has(ref) && ref <= this.newestRuntimeRef) throw staleId('variables reference', ref);
  }

  /** A frame id for the runtime: the adapter's own frames (a greenlet with no Python frame) evaluate in the stop's frame. */
  private runtimeFrame(frameId: number | null): number | undefined {
    if (frameId === null || frameId >= SPAWN_FRAME_BASE) return undefined;
    if (!this.frameOwner.has(frameId)) throw frameId <= this.newestRuntimeFrame ? staleId('frame', frameId) : unknownId('frame', frameId);
    return frameId;
  }

  private value(v: RuntimeValue): TargetValue {
    this.noteRuntimeRef(v.variablesReference);
    const out: { -readonly [K in keyof TargetValue]: TargetValue[K] } = { value: v.value, ref: v.variablesReference };
    if (v.type !== undefined) out.type = v.type;
    if (v.indexedVariables !== undefined) out.indexed = v.indexedVariables;
    if (v.g !== undefined) out.greenlet = v.g;
    if (v.obj !== undefined) out.object = v.obj;
    return out;
  }

  disconnect(terminate: boolean): Promise<void> {
    return this.runtime.disconnect(terminate);
  }

  dispose(): void {
    this.runtime.dispose();
  }

  /** The program ran: frame ids and references given so far are stale. */
  private invalidate(): void {
    this.frameOwner.clear();
    this.spawnFrames.reset();
    this.runtimeRefs.clear();
  }

  private noteRuntimeRef(ref: number): void {
    if (ref <= 0) return;
    this.runtimeRefs.add(ref);
    this.newestRuntimeRef = Math.max(this.newestRuntimeRef, ref);
  }
}

function cannotRunBackwards(): AdapterError {
  return new AdapterError(AdapterErrorId.InvalidRequest, 'a live program cannot run backwards (step back works in a replay of its trace)');
}
