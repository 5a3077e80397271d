/**
 * A stop of the program, as the runtime reports it (docs/debug-protocol.md,
 * `stopped`) and as a replay reports its own: the reason and the facts that
 * go with it, never words. shared/present/stop-words.ts words it with the
 * model's labels for VS Code, the board and the exception widget.
 */
import type { BlockReason } from '../trace/schema';

export type StopReason = 'entry' | 'step' | 'switch' | 'breakpoint' | 'pause' | 'exception' | 'deadlock' | 'blocked';

export const STOP_REASONS: readonly StopReason[] = ['entry', 'step', 'switch', 'breakpoint', 'pause', 'exception', 'deadlock', 'blocked'];

/** One greenlet that waits in a deadlock; `obj` is an object id, or for `join` a greenlet id (0: none). */
export interface DeadlockWait {
  readonly g: number;
  readonly reason: BlockReason;
  readonly obj: number;
}

/** Where a replay's cursor is: switch `index` (0-based) of `count`, at either end or between. */
export interface ReplayPosition {
  readonly index: number;
  readonly count: number;
  readonly edge: 'start' | 'end' | null;
}

export interface StopInfo {
  readonly reason: StopReason;
  /** The greenlet that stopped (the DAP thread). */
  readonly g: number;
  /** The last trace event before the stop (-1: none yet). */
  readonly seq: number;
  /** switch: the greenlet switched out of and the one switched into. */
  readonly from?: number;
  readonly to?: number;
  /** breakpoint: its line. */
  readonly line?: number;
  /** exception: the exception's type, and whether it went uncaught in main (else a greenlet died of it). */
  readonly exception?: string;
  readonly uncaught?: boolean;
  /** deadlock: every greenlet that waits, the one LoopExit is thrown into first. */
  readonly waits?: readonly DeadlockWait[];
  /** blocked: how long the greenlet has run without yielding, and the threshold. */
  readonly ms?: number;
  readonly thresholdMs?: number;
  /**
   * justMyCode: whether the stopped greenlet has a frame of the program's own code. false (the hub, say):
   * all its frames are gevent's, and the editor keeps its place instead of opening hub.py.
   */
  readonly userCode?: boolean;
  /** A replay's stop: where its cursor is. */
  readonly replay?: ReplayPosition;
}
