/**
 * Checks each JSON message from the runtime against the protocol before the
 * adapter relies on it: a malformed message becomes a described protocol
 * violation instead of an `undefined` deep inside the session.
 */
import { AdapterError, AdapterErrorId } from '../errors';
import { STOP_REASONS, type DeadlockWait, type StopInfo, type StopReason } from '../../shared/protocol/stop';
import { BLOCK_REASONS } from '../../shared/trace/schema';
import type { HelloNotification, RuntimeNotification, RuntimeResponse, RuntimeValue } from './protocol';

type Obj = Record<string, unknown>;

/** The message, or a sentence saying what is wrong with it. */
export function parseRuntimeMessage(payload: Buffer): RuntimeNotification | RuntimeResponse | string {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return `the runtime sent invalid JSON (${(err as Error).message}): ${preview(payload.toString('utf8'))}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `the runtime sent a JSON message that is not an object: ${preview(JSON.stringify(value))}`;
  }
  const m = value as Obj;
  const bad = (what: string): string => `the runtime's "${String(m['type'])}" message ${what}: ${preview(JSON.stringify(m))}`;
  switch (m['type']) {
    case 'response':
      if (!isInt(m['request_seq'])) return bad('has no integer request_seq');
      if (typeof m['success'] !== 'boolean') return bad('has no boolean success');
      if (m['message'] !== undefined && typeof m['message'] !== 'string') return bad('has a message that is not a string');
      return m as unknown as RuntimeResponse;
    case 'hello':
      if (!isInt(m['protocol'])) return bad('has no integer protocol');
      return { type: 'hello', protocol: m['protocol'], nonce: str(m['nonce']) };
    case 'stopped': {
      const stop = parseStop(m);
      return typeof stop === 'string' ? bad(stop) : { type: 'stopped', stop };
    }
    case 'continued':
      return { type: 'continued' };
    case 'exited':
      if (!isInt(m['code'])) return bad('has no integer code');
      return { type: 'exited', code: m['code'] };
    case 'output':
      if (typeof m['text'] !== 'string') return bad('has no text');
      return { type: 'output', category: m['category'] === 'stderr' ? 'stderr' : 'console', text: m['text'] };
    default:
      return `the runtime sent a message of unknown type: ${preview(JSON.stringify(m))}`;
  }
}

/**
 * A stop's reason and the facts that go with it; a fact the runtime leaves
 * out is left out (the stop is worded without it), one of the wrong type is
 * a violation.
 */
function parseStop(m: Obj): StopInfo | string {
  const reason = m['reason'];
  if (typeof reason !== 'string' || !(STOP_REASONS as readonly string[]).includes(reason)) {
    return `has an unknown reason (expected one of ${STOP_REASONS.join(', ')})`;
  }
  if (!isInt(m['g'])) return 'has no integer g';
  if (!isInt(m['seq'])) return 'has no integer seq';
  const stop: { -readonly [K in keyof StopInfo]: StopInfo[K] } = { reason: reason as StopReason, g: m['g'], seq: m['seq'] };
  for (const key of ['from', 'to', 'line', 'ms', 'thresholdMs'] as const) {
    const v = m[key];
    if (v === undefined) continue;
    if (!isInt(v)) return `has a ${key} that is not an integer`;
    stop[key] = v;
  }
  if (m['exception'] !== undefined) {
    if (typeof m['exception'] !== 'string') return 'has an exception that is not a type name';
    stop.exception = m['exception'];
  }
  if (m['uncaught'] !== undefined) {
    if (typeof m['uncaught'] !== 'boolean') return 'has an uncaught that is not true or false';
    stop.uncaught = m['uncaught'];
  }
  if (m['userCode'] !== undefined) {
    if (typeof m['userCode'] !== 'boolean') return 'has a userCode that is not true or false';
    stop.userCode = m['userCode'];
  }
  if (m['waits'] !== undefined) {
    const waits = Array.isArray(m['waits']) ? m['waits'].map(parseWait) : null;
    if (waits === null || waits.some((w) => w === null)) return 'has waits that are not a list of {g, reason, obj}';
    stop.waits = waits as DeadlockWait[];
  }
  return stop;
}

function parseWait(v: unknown): DeadlockWait | null {
  if (typeof v !== 'object' || v === null) return null;
  const w = v as Obj;
  const reason = w['reason'];
  if (!isInt(w['g']) || !isInt(w['obj']) || typeof reason !== 'string' || !(BLOCK_REASONS as readonly string[]).includes(reason)) return null;
  return { g: w['g'], reason: reason as DeadlockWait['reason'], obj: w['obj'] };
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function preview(s: string): string {
  return s.length > 300 ? s.slice(0, 300) + '…' : s;
}

/**
 * The list field an answer must carry (`frames` of `stack`, say). Answers are
 * otherwise trusted field by field; a missing list is the one mistake that
 * would surface as an opaque TypeError in the session.
 */
export function listField<T>(body: unknown, field: string, request: string): T[] {
  const value = typeof body === 'object' && body !== null ? (body as Obj)[field] : undefined;
  if (!Array.isArray(value)) {
    throw new AdapterError(
      AdapterErrorId.ProtocolViolation,
      `the runtime's answer to "${request}" has no "${field}" list: ${preview(JSON.stringify(body) ?? 'nothing')}`,
    );
  }
  return value as T[];
}

/** The runtime's identity from its answer to the adapter's hello. */
export function identityOf(protocol: number, body: Obj): HelloNotification {
  return {
    type: 'hello',
    protocol,
    pid: isInt(body['pid']) ? body['pid'] : 0,
    python: str(body['python']),
    implementation: str(body['implementation']),
    gevent: typeof body['gevent'] === 'string' ? body['gevent'] : null,
    greenlet: typeof body['greenlet'] === 'string' ? body['greenlet'] : null,
    compiled: typeof body['compiled'] === 'boolean' ? body['compiled'] : null,
    argv: Array.isArray(body['argv']) ? body['argv'].map(String) : [],
  };
}

/** An evaluate, setVariable or setExpression answer: a value text and a reference (0: nothing to expand). */
export function valueOf(body: unknown, field: 'result' | 'value', request: string): RuntimeValue {
  const b = typeof body === 'object' && body !== null ? (body as Obj) : {};
  const text = b[field];
  const ref = b['variablesReference'];
  if (typeof text !== 'string' || !isInt(ref)) {
    throw new AdapterError(
      AdapterErrorId.ProtocolViolation,
      `the runtime's answer to "${request}" has no "${field}" text and variablesReference: ${preview(JSON.stringify(body) ?? 'nothing')}`,
    );
  }
  const value: { -readonly [K in keyof RuntimeValue]: RuntimeValue[K] } = { value: text, variablesReference: ref };
  if (typeof b['type'] === 'string') value.type = b['type'];
  for (const key of ['indexedVariables', 'g', 'obj'] as const) {
    const v = b[key];
    if (isInt(v)) value[key] = v;
  }
  return value;
}
