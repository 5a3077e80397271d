/**
 * The JSON messages of the runtime channel, version 1, exactly as
 * docs/debug-protocol.md lists them. Request arguments travel as fields of
 * the request object itself, next to `type` and `seq`, the same way the
 * runtime's notifications carry theirs.
 */

export const PROTOCOL_VERSION = 1;

import type { RuntimeVersions } from '../../shared/runtime-versions';

export type StopReason = 'entry' | 'step' | 'switch' | 'breakpoint' | 'pause' | 'exception' | 'deadlock' | 'blocked';

export const STOP_REASONS: readonly StopReason[] = ['entry', 'step', 'switch', 'breakpoint', 'pause', 'exception', 'deadlock', 'blocked'];

export interface HelloNotification extends RuntimeVersions {
  readonly type: 'hello';
  readonly protocol: number;
  readonly pid: number;
  readonly argv: readonly string[];
}

export interface StoppedNotification {
  readonly type: 'stopped';
  readonly reason: StopReason;
  /** The greenlet that stopped. */
  readonly g: number;
  /** The last trace event before the stop (-1: none yet). */
  readonly seq: number;
  readonly description: string;
  readonly text: string;
}

export interface ContinuedNotification {
  readonly type: 'continued';
}

export interface ExitedNotification {
  readonly type: 'exited';
  readonly code: number;
}

export type RuntimeNotification = HelloNotification | StoppedNotification | ContinuedNotification | ExitedNotification;

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
}

export interface ConfigureArguments {
  stopOnEntry: boolean;
  exceptionFilters: string[];
  blockedLoopMs: number;
  justMyCode: boolean;
}

type Empty = Record<string, never>;

/** Adapter → runtime requests: type → [arguments, answer body]. */
export interface RuntimeRequests {
  hello: [{ secret: string; protocol: number }, Empty];
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
  variables: [{ variablesReference: number; start?: number; count?: number }, { variables: RuntimeVariable[] }];
  disconnect: [{ terminate: boolean }, Empty];
}

export type RuntimeRequestType = keyof RuntimeRequests;
export type RuntimeArgs<K extends RuntimeRequestType> = RuntimeRequests[K][0];
export type RuntimeBody<K extends RuntimeRequestType> = RuntimeRequests[K][1];
