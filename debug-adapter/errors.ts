/**
 * Every failure the adapter reports, with a stable numeric id (DAP's
 * `Message.id`) so the extension and tests can branch on the id instead of
 * parsing text. Each failure reaches the user as an error response or an
 * output event; none is logged and dropped.
 */
import { installAdvice } from '../shared/node/python-probe';

import { CodedError, messageOf } from '../shared/errors';
import type { ConfigurationProblem } from '../shared/protocol/launch-attributes';

export enum AdapterErrorId {
  /** A launch/attach attribute has the wrong type or an impossible value. */
  InvalidConfig = 3001,
  /** Neither or both of `program` and `module` were given. */
  NoTarget = 3002,
  ProgramNotFound = 3003,
  CwdNotFound = 3004,
  /** The Python interpreter could not be run at all. */
  PythonNotFound = 3005,
  /** The interpreter runs but can import neither gevent nor greenlet. */
  GeventMissing = 3006,
  /** The runtime-instrumentation folder is not next to the adapter. */
  RuntimeFilesMissing = 3007,
  SpawnFailed = 3008,
  /** The debuggee ended before its runtime connected to the adapter. */
  ExitedBeforeConnect = 3009,
  /** The runtime did not connect (launch) or accept (attach) in time. */
  ConnectTimeout = 3010,
  /** attach: nothing listens on the port. */
  AttachFailed = 3011,
  /** attach: no secret given and no secret file found. */
  SecretNotFound = 3012,
  /**
   * The runtime's first message was not a version-1 `hello`, it refused ours,
   * or (launch) the process that connected is not the one the adapter started.
   */
  HandshakeFailed = 3013,
  /** The runtime answered a request with `success: false`. */
  RuntimeRequestFailed = 3014,
  /** The runtime did not answer a request in time. */
  RequestTimeout = 3015,
  /** A request needs a running session, and there is none (yet or any more). */
  NotConnected = 3016,
  /** The connection to the runtime broke. */
  ConnectionLost = 3017,
  /** The runtime sent something the protocol does not allow. */
  ProtocolViolation = 3018,
  /** A thread or frame id the session does not know. */
  UnknownId = 3019,
  UnknownRequest = 3020,
  /** A request that cannot be served as sent: a custom request's arguments are wrong, or a second launch/attach. */
  InvalidRequest = 3021,
  /** attach with `trace`: the trace file cannot be written. */
  TraceWriteFailed = 3022,
  /** A frame id or variables reference from an earlier stop: the program ran since, so it names nothing now. */
  StaleId = 3023,
  /** attach: the secret file belongs to another user or others may read it, so the secret proves nothing. */
  SecretFileUnsafe = 3024,
  /** The program's process group could not be signalled for a reason other than being gone (EPERM, say). */
  TerminateFailed = 3025,
  /** replay: the trace file is missing, unreadable, not a trace, or holds no switch to replay. */
  TraceReadFailed = 3026,
  /** evaluate, set value: the expression raised, would wait, or ran too long; the message is the answer the user reads. */
  EvaluationFailed = 3027,
}

export class AdapterError extends CodedError<AdapterErrorId> {
  override readonly name = 'AdapterError';

  /** The code as DAP calls it: the error response's `Message.id`. */
  get id(): AdapterErrorId {
    return this.code;
  }
}

/** Normalises anything thrown into an AdapterError, keeping the original message. */
export function asAdapterError(err: unknown, fallback: AdapterErrorId): AdapterError {
  if (err instanceof AdapterError) return err;
  return new AdapterError(fallback, messageOf(err));
}

/** A configuration problem (shared/protocol/launch-attributes.ts) as the launch or attach request's error. */
export function invalidConfig(problem: ConfigurationProblem): AdapterError {
  return new AdapterError(problem.kind === 'target' ? AdapterErrorId.NoTarget : AdapterErrorId.InvalidConfig, `launch.json: ${problem.text}`);
}

export function geventMissing(python: string, detail: string): AdapterError {
  return new AdapterError(
    AdapterErrorId.GeventMissing,
    `${python} cannot import gevent, nor greenlet for plain greenlet programs${detail !== '' ? ` (${detail})` : ''}. ` +
      `${installAdvice(python)}, or set "python" in the launch configuration to an interpreter that has gevent.`,
  );
}

export function pythonNotFound(python: string, detail: string): AdapterError {
  return new AdapterError(
    AdapterErrorId.PythonNotFound,
    `cannot run the Python interpreter "${python}" (${detail}). ` +
      `Set "python" in the launch configuration to a Python 3 with gevent (${installAdvice('python3')}).`,
  );
}
