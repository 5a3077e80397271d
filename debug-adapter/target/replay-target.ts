/**
 * A recorded trace as a DebugTarget (a launch with `replay`): the cursor of
 * replay/trace-replay.ts moved by the same requests that run a live
 * program, forward or back. Every move ends in a `stopped` event, never in
 * `terminated`, so the user can always step back. A breakpoint stops where
 * a recorded greenlet resumes at its line. Frames are the recorded block
 * stacks (no locals): a frame's only scope is the session's Greenlet scope.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { messageOf } from '../../shared/errors';
import type { TraceState } from '../../shared/model/state';
import type { ReplayPosition } from '../../shared/protocol/stop';
import { AdapterError, AdapterErrorId } from '../errors';
import { TraceReplay } from '../replay/trace-replay';
import type { BreakpointResult, BreakpointSpec } from '../runtime/protocol';
import { TypedEmitter } from '../runtime/typed-emitter';
import type { DebugTarget, DebugTargetEvents, StatePage, TargetCompletion, TargetFrame, TargetScope, TargetValue, TargetVariable } from './debug-target';
import { IdTable, unknownId } from './id-table';
import { labelFrame } from './label-frame';

/** Frame ids of replay frames; a replay has no runtime frames to keep apart from. */
const REPLAY_FRAME_BASE = 1;

type ReplayStop = 'entry' | 'switch' | 'breakpoint';

export class ReplayTarget extends TypedEmitter<DebugTargetEvents> implements DebugTarget {
  readonly capabilities = { stepBack: true };
  /** Breakpoint lines by absolute file path. */
  private readonly breakpoints = new Map<string, Set<number>>();
  private readonly frames = new IdTable<number>(REPLAY_FRAME_BASE, 'frame');
  private ended = false;

  private constructor(private readonly replay: TraceReplay, private bytes: Uint8Array | null) {
    super();
  }

  /** Loads the trace; `note` is said to the user once (it was cut short and opens up to its last whole event). */
  static async open(file: string): Promise<{ target: ReplayTarget; note: string | null }> {
    const { replay, note } = await TraceReplay.open(file);
    // The board gets the recording as a live board gets a program's trace: its bytes (read once more, read-only).
    const bytes = await fs.readFile(file).catch((err: unknown) => {
      throw new AdapterError(AdapterErrorId.TraceReadFailed, `cannot replay ${file}: ${messageOf(err)}`);
    });
    return { target: new ReplayTarget(replay, bytes), note };
  }

  get header() {
    return this.replay.header;
  }

  get eventCount(): number {
    return this.replay.model.eventCount;
  }

  state(): TraceState {
    return this.replay.state();
  }

  statePage(start: number, count: number): StatePage {
    const s = this.replay.state();
    return { state: { ...s, greenlets: s.greenlets.slice(start, start + count) }, greenletsTotal: s.greenlets.length };
  }

  async setBreakpoints(file: string, breakpoints: BreakpointSpec[]): Promise<BreakpointResult[]> {
    this.breakpoints.set(path.resolve(file), new Set(breakpoints.map((b) => b.line)));
    // Nothing to check them against but the recorded wait sites, which any line may be.
    return breakpoints.map((b) => ({ line: b.line, verified: true }));
  }

  async setExceptionFilters(): Promise<void> {
    // A recording's exceptions already happened; there is nothing to stop on.
  }

  async configurationDone(): Promise<void> {
    if (this.bytes !== null) this.emit('bytes', this.bytes);
    this.bytes = null;
    this.stopHere('entry', 'start');
  }

  async continue(reverse: boolean): Promise<void> {
    if (reverse) {
      if (this.replay.continueBackward(this.breakpoints)) this.stopHere('breakpoint');
      else this.stopHere('entry', 'start');
    } else if (this.replay.continueForward(this.breakpoints)) {
      this.stopHere('breakpoint');
    } else {
      this.stopHere('switch', 'end');
    }
  }

  async pause(): Promise<void> {
    // Always stopped between moves.
  }

  stepLine(): Promise<void> {
    return this.stepSwitch(false);
  }

  async stepSwitch(reverse: boolean): Promise<void> {
    if (reverse) {
      if (this.replay.stepBack()) this.stopHere('switch');
      else this.stopHere('entry', 'start');
    } else if (this.replay.stepForward()) {
      this.stopHere('switch');
    } else {
      this.stopHere('switch', 'end');
    }
  }

  async runToGreenlet(g: number): Promise<void> {
    const from = this.replay.position;
    while (this.replay.stepForward()) {
      if (this.replay.current.to === g) {
        this.stopHere('switch');
        return;
      }
    }
    while (this.replay.position > from) this.replay.stepBack();
    throw new AdapterError(AdapterErrorId.InvalidRequest, `g${g} is not switched into again in this trace`);
  }

  async stack(g: number, start: number, levels: number): Promise<{ frames: TargetFrame[]; total: number }> {
    const view = this.replay.state().greenlets.find((x) => x.id === g);
    if (view === undefined) throw new AdapterError(AdapterErrorId.UnknownId, `thread ${g} is not a greenlet of this trace at this point`);
    const recorded = this.replay.stackOf(g);
    const all: TargetFrame[] = recorded.length > 0
      ? recorded.map((f) => ({ id: this.frames.alloc(g), name: f.function, file: f.file, line: f.line }))
      // The hub, a greenlet that never waited: one frame, for its Greenlet scope.
      : [labelFrame(this.frames.alloc(g), view, '(no recorded stack)')];
    return { frames: all.slice(start, start + (levels > 0 ? levels : all.length)), total: all.length };
  }

  async scopes(frameId: number): Promise<{ g: number; scopes: TargetScope[] }> {
    return { g: this.frames.lookup(frameId), scopes: [] };
  }

  async variables(ref: number): Promise<TargetVariable[]> {
    throw unknownId('variables reference', ref);
  }

  async evaluate(): Promise<TargetValue> {
    throw noProgram('evaluate expressions');
  }

  async completions(): Promise<TargetCompletion[]> {
    return [];
  }

  async setVariable(): Promise<TargetValue> {
    throw noProgram('set values');
  }

  async setExpression(): Promise<TargetValue> {
    throw noProgram('set values');
  }

  async killGreenlets(): Promise<void> {
    throw noProgram('kill greenlets');
  }

  async disconnect(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.emit('terminated', null);
  }

  dispose(): void {
    this.ended = true;
  }

  /**
   * The cursor moved: a stop there, emitted after the request that moved it
   * is answered (as a runtime's stop comes after its request's response).
   */
  private stopHere(reason: ReplayStop, edge: ReplayPosition['edge'] = null): void {
    this.frames.reset();
    const stop = this.replay.stopHere(reason, edge);
    setImmediate(() => {
      if (!this.ended) this.emit('stopped', stop);
    });
  }
}

function noProgram(what: string): AdapterError {
  return new AdapterError(AdapterErrorId.InvalidRequest, `a replay has no program to ${what} in: it shows what the trace recorded (debug the program live to ${what})`);
}
