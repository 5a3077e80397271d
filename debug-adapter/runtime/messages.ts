/**
 * Checks each JSON message from the runtime against the protocol before the
 * adapter relies on it: a malformed message becomes a described protocol
 * violation instead of an `undefined` deep inside the session.
 */
import { AdapterError, AdapterErrorId } from '../errors';
import { STOP_REASONS, type RuntimeNotification, type RuntimeResponse, type StopReason } from './protocol';

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
      return {
        type: 'hello',
        protocol: m['protocol'],
        pid: isInt(m['pid']) ? m['pid'] : 0,
        python: str(m['python']),
        implementation: str(m['implementation']),
        gevent: typeof m['gevent'] === 'string' ? m['gevent'] : null,
        greenlet: typeof m['greenlet'] === 'string' ? m['greenlet'] : null,
        compiled: typeof m['compiled'] === 'boolean' ? m['compiled'] : null,
        argv: Array.isArray(m['argv']) ? m['argv'].map(String) : [],
      };
    case 'stopped': {
      const reason = m['reason'];
      if (typeof reason !== 'string' || !(STOP_REASONS as readonly string[]).includes(reason)) {
        return bad(`has an unknown reason (expected one of ${STOP_REASONS.join(', ')})`);
      }
      if (!isInt(m['g'])) return bad('has no integer g');
      if (!isInt(m['seq'])) return bad('has no integer seq');
      return {
        type: 'stopped',
        reason: reason as StopReason,
        g: m['g'],
        seq: m['seq'],
        description: str(m['description']),
        text: str(m['text']),
      };
    }
    case 'continued':
      return { type: 'continued' };
    case 'exited':
      if (!isInt(m['code'])) return bad('has no integer code');
      return { type: 'exited', code: m['code'] };
    default:
      return `the runtime sent a message of unknown type: ${preview(JSON.stringify(m))}`;
  }
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
