/**
 * Validation of the JSON header. Required fields (format, version) must be
 * right; the descriptive fields fall back to neutral defaults when absent so
 * a runtime that omits one still yields a readable trace, but a field that is
 * present with the wrong type is reported, since that is a writer bug.
 */

import { ErrorCode, TraceError, messageOf } from '../errors';
import { FORMAT_MAJOR, HEADER_FORMAT_NAME } from './schema';
import type { Header } from './events';

type Json = Record<string, unknown>;

export function parseHeader(bytes: Uint8Array, offset: number, major: number, minor: number): Header {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (err) {
    const why = messageOf(err);
    throw new TraceError(ErrorCode.BadHeader, `the trace header is not valid UTF-8 JSON (${why})`, offset);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceError(ErrorCode.BadHeader, 'the trace header is not a JSON object', offset);
  }
  const json = value as Json;
  const fail = (what: string): never => {
    throw new TraceError(ErrorCode.BadHeader, `the trace header ${what}`, offset);
  };

  if (json['format'] !== HEADER_FORMAT_NAME) fail(`has format ${JSON.stringify(json['format'])}, expected "${HEADER_FORMAT_NAME}"`);
  const version = json['version'];
  if (!Array.isArray(version) || version.length !== 2 || !version.every(Number.isInteger)) {
    fail('has no [major, minor] version');
  }
  const [hMajor, hMinor] = version as [number, number];
  if (hMajor !== major || hMinor !== minor) {
    fail(`says version ${hMajor}.${hMinor} but the file says ${major}.${minor}`);
  }
  // The binary major was already checked; this guards the JSON copy only.
  if (hMajor !== FORMAT_MAJOR) fail(`has unsupported version ${hMajor}.${hMinor}`);

  const str = (key: string, dflt: string): string => {
    const v = json[key];
    if (v === undefined) return dflt;
    return typeof v === 'string' ? v : fail(`field "${key}" is not a string`);
  };
  const strOrNull = (key: string): string | null => {
    const v = json[key];
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : fail(`field "${key}" is not a string or null`);
  };
  const num = (key: string): number => {
    const v = json[key];
    if (v === undefined) return 0;
    return typeof v === 'number' && Number.isFinite(v) ? v : fail(`field "${key}" is not a number`);
  };
  const compiled = json['compiled'];
  if (compiled !== undefined && compiled !== null && typeof compiled !== 'boolean') fail('field "compiled" is not a boolean or null');
  const internedStrings = json['internedStrings'];
  if (internedStrings !== undefined && internedStrings !== null && !(Number.isSafeInteger(internedStrings) && (internedStrings as number) >= 0)) {
    fail('field "internedStrings" is not a count');
  }
  const argv = json['argv'];
  if (argv !== undefined && !(Array.isArray(argv) && argv.every((a) => typeof a === 'string'))) {
    fail('field "argv" is not a list of strings');
  }

  return {
    format: HEADER_FORMAT_NAME,
    version: [hMajor, hMinor],
    python: str('python', ''),
    implementation: str('implementation', ''),
    greenlet: str('greenlet', ''),
    gevent: strOrNull('gevent'),
    loop: strOrNull('loop'),
    compiled: typeof compiled === 'boolean' ? compiled : null,
    recorder: strOrNull('recorder'),
    pid: num('pid'),
    argv: (argv as string[] | undefined) ?? [],
    cwd: str('cwd', ''),
    startedAt: num('startedAt'),
    clock: str('clock', 'monotonic-us'),
    t0: num('t0'),
    reprLimit: num('reprLimit'),
    stackDepth: num('stackDepth'),
    internedStrings: typeof internedStrings === 'number' ? internedStrings : null,
  };
}
