/**
 * Every custom DAP request and event of a `greenlet` debug session, declared
 * once for the adapter, the extension and the webview (js-debug keeps its
 * custom messages in one schema module the same way). Standard DAP messages
 * are not repeated here.
 */
import type { Finding } from '../analysis/finding';
import type { WhyAnswer } from '../analysis/why';
import type { TraceState } from '../model/state';
import type { Header } from '../trace/events';
import type { StopInfo } from './stop';

/** The debug type contributed by the extension. */
export const DEBUG_TYPE = 'greenlet';

/** Custom requests: name → [arguments, response body]. */
export interface CustomRequests {
  /** Run until the next context switch and stop just before it ("switch g3 → g5"). */
  stepSwitch: [StepSwitchArguments, Record<string, never>];
  /** Run until the given greenlet is switched into. */
  runToGreenlet: [RunToGreenletArguments, Record<string, never>];
  /**
   * The model's state at the stop (a replay's cursor) or the latest event:
   * queues, events, locks whole, and one page of the greenlets (in id
   * order), without their spawn and wait sites unless asked.
   */
  greenletSnapshot: [GreenletSnapshotArguments, GreenletSnapshotBody];
  /** Why a greenlet is not running: what it waits on, who could wake it, what those do. */
  greenletWhy: [GreenletWhyArguments, WhyAnswer];
}

export type CustomRequestName = keyof CustomRequests;
export type CustomRequestArguments<K extends CustomRequestName> = CustomRequests[K][0];
export type CustomResponseBody<K extends CustomRequestName> = CustomRequests[K][1];

export interface StepSwitchArguments {
  /** Ignored: a switch involves the whole program; present for toolbar commands that pass it. */
  threadId?: number;
}

export interface RunToGreenletArguments {
  /** The DAP thread id of the greenlet (equal to its greenlet id). */
  threadId: number;
}

/** Greenlets per snapshot page when the request does not say. */
export const SNAPSHOT_PAGE = 1000;

export interface GreenletSnapshotArguments {
  /** Index (in id order) of the page's first greenlet; 0 when absent. */
  start?: number;
  /** Most greenlets in the page; SNAPSHOT_PAGE when absent. */
  count?: number;
  /** Include each greenlet's spawn site and wait site (file, line, function); false when absent. */
  sites?: boolean;
}

export interface GreenletWhyArguments {
  /** The DAP thread id of the greenlet (equal to its greenlet id). */
  threadId: number;
}

export interface GreenletSnapshotBody {
  /** `greenlets` holds the page asked for; without `sites`, `spawnSite` and `blockedOn.site` are null. */
  state: TraceState;
  /** All greenlets of the state; page on with `start` until start + state.greenlets.length reaches it. */
  greenletsTotal: number;
  start: number;
  sites: boolean;
  header: Header | null;
  /** Events the adapter has received from the runtime so far. */
  eventCount: number;
}

/** Custom events: name → body. */
export interface CustomEvents {
  /**
   * The session's trace, as bytes of the trace format (docs/trace-format.md)
   * from its header on: what a live program sends the adapter, or a replayed
   * recording's file, at most one batch of at most 1 MiB
   * (GREENLET_LENS_STREAM_BATCH in the adapter's environment) about 60 times
   * a second however fast the program runs; everything waiting is sent
   * before a `stopped` or `exited` event. Nothing is left out.
   */
  greenletTrace: GreenletTraceBody;
  /**
   * The session's status, sent in order with `greenletTrace`: a stop comes
   * after the batch holding its last event, so a client that reads both
   * (the board) sees them in the order they happened without reordering.
   */
  greenletStatus: GreenletStatusBody;
  /**
   * What is wrong in the program as of a stop (shared/analysis): sent after
   * every `stopped`, for the Problems view. The session's end clears them.
   */
  greenletFindings: GreenletFindingsBody;
}

export interface GreenletFindingsBody {
  findings: Finding[];
  /** The event the findings are as of. */
  seq: number;
}

export type CustomEventName = keyof CustomEvents;

export interface GreenletTraceBody {
  /** The next bytes of the trace, base64. */
  data: string;
  /** Where they start in the session's trace: the previous batch's end; 0 for the first. */
  offset: number;
}

/**
 * The board's stream of an inline session (the adapter running in the
 * extension host), handed over in-process instead of as `greenletTrace` and
 * `greenletStatus` events: the same stream in the same order, the bytes
 * unencoded. As DAP events every batch crossed VS Code's workbench twice
 * (adapter to workbench, workbench back to the extension), base64 in JSON;
 * in code-server that workbench is the browser tab, whose thread also shows
 * the user's stops. A standalone adapter (a process) still sends the events.
 */
export interface BoardStreamSink {
  trace(bytes: Uint8Array, offset: number): void;
  status(body: GreenletStatusBody): void;
}

export type GreenletStatusBody =
  /** The program (or a replay's cursor) stopped: the runtime's own stop, and its description as the Call Stack shows it. */
  | { kind: 'stopped'; stop: StopInfo; description: string }
  | { kind: 'continued' }
  /** The session is over; `byUser` when the client asked to end it (Stop, Restart), not the program by itself. */
  /** detached: the user disconnected without ending the program, which runs on without the debugger. */
  | { kind: 'ended'; exitCode: number | null; byUser: boolean; detached?: boolean };

/** Exception breakpoint filters offered in the Breakpoints view. */
export const EXCEPTION_FILTERS = [
  { filter: 'greenletException', label: 'A greenlet dies with an exception', default: true },
  { filter: 'uncaught', label: 'Uncaught in main', default: true },
] as const;

export type ExceptionFilterName = (typeof EXCEPTION_FILTERS)[number]['filter'];

/** Launch configuration attributes of the `greenlet` debug type. */
export interface LaunchArguments {
  program?: string;
  module?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  python?: string;
  stopOnEntry?: boolean;
  /** Record the session to this trace file as well. */
  trace?: string;
  justMyCode?: boolean;
  /** Stop when a greenlet runs this long without yielding; 0 turns it off. */
  blockedLoopMs?: number;
  /** Most greenlets listed as DAP threads; the rest are on the board. */
  maxThreads?: number;
  /** Replay this recorded trace instead of running a program (no `program`/`module` then). */
  replay?: string;
  /** Follow forked children, each as a child session (default true). */
  subProcess?: boolean;
  /** As `record --follow-children`: follow new Pythons too (default false). */
  followChildren?: boolean;
}

export interface AttachArguments {
  host?: string;
  port: number;
  secret?: string;
  secretFile?: string;
  trace?: string;
  justMyCode?: boolean;
  blockedLoopMs?: number;
  maxThreads?: number;
  /** Set by the adapter in the child sessions it starts: which forked child to take. */
  subProcessToken?: string;
}
