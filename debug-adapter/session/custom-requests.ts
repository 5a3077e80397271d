/**
 * The custom requests of shared/protocol/custom-dap.ts as a table of
 * handlers whose type is derived from `CustomRequests`: a request declared
 * there without a handler here, or a handler answering with the wrong body,
 * is a compile error, and every request name used is checked against it.
 * They work on the session's DebugTarget, so live and replay sessions
 * answer them the same way.
 */
import { SNAPSHOT_PAGE, type CustomRequestArguments, type CustomRequestName, type CustomResponseBody } from '../../shared/protocol/custom-dap';
import { WHY_NEEDS_LIVE } from '../../shared/present/finding-words';
import { AdapterError, AdapterErrorId } from '../errors';
import type { DebugTarget } from '../target/debug-target';
import type { LiveFindings } from '../target/live-findings';
import { snapshotPage } from './snapshot-page';
import type { TraceStream } from './trace-stream';

export type CustomRequestHandlers = {
  [K in CustomRequestName]: (args: CustomRequestArguments<K>) => Promise<CustomResponseBody<K>>;
};

/** What the handlers work on: the session's target and its trace stream (`need` throws NotConnected when there is none). */
export interface CustomRequestContext {
  readonly target: DebugTarget;
  readonly stream: TraceStream;
  /** A live program's findings; null for a recording (the trace editor has its own). */
  readonly findings: LiveFindings | null;
}

export function customRequestHandlers(need: () => CustomRequestContext): CustomRequestHandlers {
  return {
    stepSwitch: async () => {
      await need().target.stepSwitch(false);
      return {};
    },
    runToGreenlet: async (args) => {
      const g = requireGreenlet('runToGreenlet', args);
      await need().target.runToGreenlet(g);
      return {};
    },
    greenletSnapshot: async (args) => {
      const { target, stream } = need();
      // Whatever the stream still holds goes first, so the snapshot is never behind the events already seen.
      stream.flush();
      const start = optionalCount('greenletSnapshot', 'start', args.start) ?? 0;
      const count = optionalCount('greenletSnapshot', 'count', args.count) ?? SNAPSHOT_PAGE;
      const sites = args.sites === true;
      return { ...snapshotPage(target, start, count, sites), header: target.header, eventCount: target.eventCount };
    },
    greenletWhy: async (args) => {
      const g = requireGreenlet('greenletWhy', args);
      const { findings } = need();
      if (findings === null) throw new AdapterError(AdapterErrorId.InvalidRequest, WHY_NEEDS_LIVE);
      return findings.why(g);
    },
  };
}

export function isCustomRequest(handlers: CustomRequestHandlers, command: string): command is CustomRequestName {
  return Object.prototype.hasOwnProperty.call(handlers, command);
}

/**
 * Runs the handler of `command`. `args` is whatever the client sent: typed
 * as the request's arguments here, but each handler checks the fields it
 * reads (requireGreenlet) before trusting them.
 */
export function runCustomRequest<K extends CustomRequestName>(
  handlers: CustomRequestHandlers,
  command: K,
  args: unknown,
): Promise<CustomResponseBody<K>> {
  const handler: (a: CustomRequestArguments<K>) => Promise<CustomResponseBody<K>> = handlers[command];
  return handler((args ?? {}) as CustomRequestArguments<K>);
}

/** The greenlet id a request names in `threadId` (thread id = greenlet id), checked. */
export function requireGreenlet(command: CustomRequestName, args: { threadId?: unknown }): number {
  const id = args.threadId;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
    throw new AdapterError(AdapterErrorId.InvalidRequest, `${command} needs "threadId", the id of a greenlet (a whole number), not ${JSON.stringify(id) ?? 'nothing'}`);
  }
  return id;
}

/** A whole number >= 0 a request may give for `field`, or undefined when absent. */
function optionalCount(command: CustomRequestName, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new AdapterError(AdapterErrorId.InvalidRequest, `${command}: "${field}" must be a whole number >= 0, not ${JSON.stringify(value) ?? 'nothing'}`);
  }
  return value;
}
