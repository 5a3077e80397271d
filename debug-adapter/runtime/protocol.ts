/**
 * The JSON messages of the runtime channel, version 2, exactly as
 * docs/debug-protocol.md lists them. Request arguments travel as fields of
 * the request object itself, next to `type` and `seq`, the same way the
 * runtime's notifications carry theirs.
 */

import type { StopInfo } from '../../shared/protocol/stop';
import type { RuntimeVersions } from '../../shared/runtime-versions';

export const PROTOCOL_VERSION = 2;

/** The runtime's first message: nothing about the program until the adapter has proved itself. */
export interface RuntimeGreeting {
  readonly type: 'hello';
  readonly protocol: number;
  /** Hex; the adapter's proof covers it. */
  readonly nonce: string;
}

/** Who the runtime is, from its answer to the adapter's `hello` (after the proofs). */
export interface HelloNotification extends RuntimeVersions {
  readonly type: 'hello';
  readonly protocol: number;
  readonly pid: number;
  readonly argv: readonly string[];
}

/** The reason and its facts travel as fields of the message itself (shared/protocol/stop.ts). */
export interface StoppedNotification {
  readonly type: 'stopped';
  readonly stop: StopInfo;
}

export interface ContinuedNotification {
  readonly type: 'continued';
}

export interface ExitedNotification {
  readonly type: 'exited';
  readonly code: number;
}

/** A line for the Debug Console: a logpoint's message, or a breakpoint condition's error (said once). */
export interface OutputNotification {
  readonly type: 'output';
  readonly category: 'console' | 'stderr';
  readonly text: string;
}

export type RuntimeNotification = RuntimeGreeting | StoppedNotification | ContinuedNotification | ExitedNotification | OutputNotification;

export interface RuntimeResponse {
  readonly type: 'response';
  readonly request_seq: number;
  readonly success: boolean;
  readonly body?: unknown;
  readonly message?: string;
}

export interface BreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  /** A logpoint: says this, with each {expression} filled in, and does not stop. */
  logMessage?: string;
}

export interface BreakpointResult {
  readonly line: number;
  readonly verified: boolean;
  readonly message?: string | null;
}

export interface RuntimeFrame {
  readonly id: number;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** false: gevent's, the standard library's or an installed package's frame (justMyCode's rule). */
  readonly user?: boolean;
}

export interface RuntimeScope {
  readonly name: string;
  readonly variablesReference: number;
}

export interface RuntimeVariable {
  readonly name: string;
  readonly value: string;
  readonly type: string;
  readonly variablesReference: number;
  /** A long sequence: its items are asked for a page at a time. */
  readonly indexedVariables?: number;
  /** A greenlet the trace knows (its id), or a gevent object the trace knows (its object id). */
  readonly g?: number;
  readonly obj?: number;
}

/** What evaluate, setVariable and setExpression answer. */
export interface RuntimeValue {
  readonly value: string;
  readonly type?: string;
  readonly variablesReference: number;
  readonly indexedVariables?: number;
  readonly g?: number;
  readonly obj?: number;
}

export interface RuntimeCompletion {
  readonly label: string;
  readonly type?: string;
  /** 0-based offset in the text where the completed word starts, and its length so far. */
  readonly start?: number;
  readonly length?: number;
}

/** Where an expression is evaluated: DAP's `context` (hover reads names and attribute chains only). */
export type EvaluateContext = 'repl' | 'watch' | 'hover' | 'clipboard' | 'variables';

export interface ConfigureArguments {
  stopOnEntry: boolean;
  exceptionFilters: string[];
  blockedLoopMs: number;
  justMyCode: boolean;
}

/** A wait the adapter asks the runtime to prove about (docs/debug-protocol.md, `waitProofs`). */
export interface WaitRef {
  readonly g: number;
  readonly obj: number;
}

export interface WaitProofResult extends WaitRef {
  /** false: nothing that can still run reaches the object; null: the runtime cannot tell. */
  readonly reachable: boolean | null;
}

type Empty = Record<string, never>;

/** Adapter → runtime requests: type → [arguments, answer body]. */
export interface RuntimeRequests {
  hello: [{ protocol: number; nonce: string; proof: string }, { proof?: unknown; pid?: unknown; python?: unknown; gevent?: unknown; greenlet?: unknown; argv?: unknown }];
  configure: [ConfigureArguments, Empty];
  setBreakpoints: [{ file: string; breakpoints: BreakpointSpec[] }, { breakpoints: BreakpointResult[] }];
  configurationDone: [Empty, Empty];
  continue: [Empty, Empty];
  pause: [Empty, Empty];
  stepSwitch: [Empty, Empty];
  runToGreenlet: [{ g: number }, Empty];
  next: [{ g: number }, Empty];
  stepIn: [{ g: number }, Empty];
  stepOut: [{ g: number }, Empty];
  stack: [{ g: number; startFrame: number; levels: number }, { frames: RuntimeFrame[]; total: number }];
  scopes: [{ frameId: number }, { scopes: RuntimeScope[] }];
  variables: [{ variablesReference: number; start?: number; count?: number; filter?: 'named' | 'indexed' }, { variables: RuntimeVariable[] }];
  evaluate: [{ frameId?: number; expression: string; context: EvaluateContext }, { result: string; type?: string; variablesReference: number; indexedVariables?: number }];
  completions: [{ frameId?: number; text: string; column: number }, { targets: RuntimeCompletion[] }];
  setVariable: [{ variablesReference: number; name: string; value: string }, RuntimeValue];
  setExpression: [{ frameId?: number; expression: string; value: string }, RuntimeValue];
  killGreenlets: [{ gs: number[] }, Empty];
  waitProofs: [{ waits: WaitRef[] }, { waits: WaitProofResult[] }];
  disconnect: [{ terminate: boolean }, Empty];
}

export type RuntimeRequestType = keyof RuntimeRequests;
export type RuntimeArgs<K extends RuntimeRequestType> = RuntimeRequests[K][0];
export type RuntimeBody<K extends RuntimeRequestType> = RuntimeRequests[K][1];
