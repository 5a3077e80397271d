/**
 * What the DAP session debugs: a live program (live-target.ts, the runtime
 * over its channel) or a recorded trace (replay-target.ts), behind one
 * interface in vscode-mock-debug's shape. The session handles every DAP
 * request once, on this interface; a target knows nothing of DAP (frames,
 * scopes and variables are plain data, lines are the program's own) and
 * says what it can do in `capabilities`. Stops, output and the end arrive
 * as events, after the request that caused them has been answered.
 */
import type { TraceState } from '../../shared/model/state';
import type { Header } from '../../shared/trace/events';
import type { LiveRuntimeEvents } from '../runtime/live-runtime';
import type { BreakpointResult, BreakpointSpec, EvaluateContext, RuntimeCompletion } from '../runtime/protocol';

/**
 * What a target emits: what the live runtime emits (runtime/live-runtime.ts);
 * a replay emits `stopped` after each move and `terminated` at the end.
 */
export type DebugTargetEvents = LiveRuntimeEvents;

export interface TargetCapabilities {
  /** stepBack and reverseContinue: a recording can run backwards, a live program cannot. */
  readonly stepBack: boolean;
}

/** A stack frame: `line` is the program's (1-based), 0 with `file` null for a frame that stands for a greenlet without one. */
export interface TargetFrame {
  readonly id: number;
  readonly name: string;
  /** An absolute path, a pseudo-file such as "<string>" (nothing to open), or null. */
  readonly file: string | null;
  readonly line: number;
  /** label: a frame standing for a greenlet (it has no frame of its own); subtle: such a frame at a source line. */
  readonly hint?: 'label' | 'subtle';
  /**
   * Not the program's own code (gevent, the standard library, installed packages) while justMyCode is on:
   * listed, but the client opens the innermost frame of the program's own instead.
   */
  readonly library?: boolean;
}

export interface TargetScope {
  readonly name: string;
  readonly ref: number;
  /** The frame's locals: shown expanded. */
  readonly locals?: boolean;
}

export interface TargetVariable {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  readonly ref: number;
  /** A long sequence, asked for a page at a time. */
  readonly indexed?: number;
  /** The greenlet (id) or gevent object (object id) of the trace this value is. */
  readonly greenlet?: number;
  readonly object?: number;
}

/** What evaluate and set value answer: a variable without a name. */
export type TargetValue = Omit<TargetVariable, 'name'>;

export type TargetCompletion = RuntimeCompletion;

export interface StatePage {
  readonly state: TraceState;
  readonly greenletsTotal: number;
}

export interface DebugTarget {
  /** A live launch's forked child that the client will not debug runs on undebugged. */
  refuseChild?(token: string): void;
  readonly capabilities: TargetCapabilities;
  readonly header: Header | null;
  /** Trace events the target holds. */
  readonly eventCount: number;
  on<K extends keyof DebugTargetEvents & string>(event: K, listener: (payload: DebugTargetEvents[K]) => void): unknown;

  /** The model's state at the stop (a replay's cursor) or at the latest event (a live program). */
  state(): TraceState;
  /**
   * state() with only the greenlets at indexes start .. start + count - 1 (in
   * id order) in `greenlets`, and how many there are in all: a page of 10k
   * greenlets need not build the other views.
   */
  statePage(start: number, count: number): StatePage;

  setBreakpoints(file: string, breakpoints: BreakpointSpec[]): Promise<BreakpointResult[]>;
  setExceptionFilters(filters: string[]): Promise<void>;
  configurationDone(): Promise<void>;

  /** Runs on (reverse: back, to the previous breakpoint hit); a `stopped` event follows when it stops. */
  continue(reverse: boolean): Promise<void>;
  pause(): Promise<void>;
  /** A line step inside greenlet `g` (a replay, having no lines, steps one switch). */
  stepLine(kind: 'next' | 'stepIn' | 'stepOut', g: number): Promise<void>;
  /** To the next context switch (reverse: the previous one). */
  stepSwitch(reverse: boolean): Promise<void>;
  /** Until greenlet `g` is switched into. */
  runToGreenlet(g: number): Promise<void>;

  /** Frames of greenlet `g`, innermost first, from `start`, at most `levels` (0: all). */
  stack(g: number, start: number, levels: number): Promise<{ frames: TargetFrame[]; total: number }>;
  /** The greenlet a frame belongs to, and the frame's scopes (the session adds the Greenlet scope). */
  scopes(frameId: number): Promise<{ g: number; scopes: TargetScope[] }>;
  variables(ref: number, start?: number, count?: number, filter?: 'named' | 'indexed'): Promise<TargetVariable[]>;

  /** An expression in a frame of any stopped greenlet (null: the stop's own frame); it never lets the program run. */
  evaluate(frameId: number | null, expression: string, context: EvaluateContext): Promise<TargetValue>;
  /** Completions for `text` with the cursor at `column` (0-based). */
  completions(frameId: number | null, text: string, column: number): Promise<TargetCompletion[]>;
  /** Sets a variable of a scope or a child of a value; the new value is answered. */
  setVariable(ref: number, name: string, value: string): Promise<TargetValue>;
  setExpression(frameId: number | null, expression: string, value: string): Promise<TargetValue>;
  /** Kills greenlets as Greenlet.kill() does: GreenletExit in each once the program runs on. */
  killGreenlets(gs: number[]): Promise<void>;

  /** Ends the session: terminate ends the program, else it runs on without the debugger. */
  disconnect(terminate: boolean): Promise<void>;
  /** The adapter is going away: nothing started may outlive it, nothing more is emitted. */
  dispose(): void;
}
