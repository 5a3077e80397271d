/**
 * The custom requests of shared/protocol/custom-dap.ts as a table of
 * handlers whose type is derived from `CustomRequests`: a request declared
 * there without a handler here, or a handler answering with the wrong body,
 * is a compile error, and every request name used is checked against it.
 */
import type { CustomRequestArguments, CustomRequestName, CustomResponseBody } from '../../shared/protocol/custom-dap';
import { AdapterError, AdapterErrorId } from '../errors';
import type { LiveFindings } from '../runtime/live-findings';
import type { LiveRuntime } from '../runtime/live-runtime';
import type { EventStream } from './event-stream';
import type { Inspector } from './inspector';

export type CustomRequestHandlers = {
  [K in CustomRequestName]: (args: CustomRequestArguments<K>) => Promise<CustomResponseBody<K>>;
};

/** What the handlers work on: the session's live parts (`live` throws NotConnected when there are none). */
export interface CustomRequestContext {
  readonly runtime: LiveRuntime;
  readonly inspector: Inspector;
  readonly stream: EventStream;
  readonly findings: LiveFindings;
}

export function customRequestHandlers(live: () => CustomRequestContext): CustomRequestHandlers {
  return {
    stepSwitch: async () => {
      await live().runtime.stepSwitch();
      return {};
    },
    runToGreenlet: async (args) => {
      const g = requireGreenlet('runToGreenlet', args);
      await live().runtime.runToGreenlet(g);
      return {};
    },
    greenletSnapshot: async () => {
      const { runtime, inspector, stream } = live();
      // Whatever the stream still holds goes first, so the snapshot is never behind the events already seen.
      stream.flush();
      return { state: inspector.state(), header: runtime.feed.header, eventCount: runtime.model.eventCount };
    },
    greenletWhy: async (args) => live().findings.why(requireGreenlet('greenletWhy', args)),
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
