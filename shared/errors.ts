/**
 * The error base of the whole project, and the errors of the trace reader.
 *
 * Every failure a user can cause is a CodedError: a stable code to branch
 * on (never the message), the message to show. The reader's are TraceErrors
 * (nothing else ever escapes it), the adapter's AdapterErrors
 * (debug-adapter/errors.ts), the extension's ExtensionErrors
 * (extension/errors.ts); each layer has one factory per failure and one
 * `asXError` built on messageOf.
 */

export abstract class CodedError<C extends string | number> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A short, bounded rendering of a bad value for messages: `string "x"`, `number 42`, `an array`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

export enum ErrorCode {
  /** The file does not start with the trace magic bytes: not a trace. */
  BadMagic = 'BadMagic',
  /** The trace's major version is not one this reader understands. */
  UnsupportedVersion = 'UnsupportedVersion',
  /** The JSON header is not valid UTF-8 JSON or misses required fields. */
  BadHeader = 'BadHeader',
  /** The data ends before the header is complete (includes an empty file). */
  TruncatedHeader = 'TruncatedHeader',
  /** A chunk's CRC does not match, or a chunk does not start with its marker. */
  CorruptChunk = 'CorruptChunk',
  /** The data ends inside a chunk. */
  TruncatedChunk = 'TruncatedChunk',
  /** A record inside a verified chunk cannot be decoded (unknown tag, bad value, overrun). */
  BadRecord = 'BadRecord',
  /** A record refers to a string, frame or stack that was never defined. */
  BadReference = 'BadReference',
  /** The trace file does not exist. */
  FileNotFound = 'FileNotFound',
  /** The trace file exists but could not be read. */
  ReadFailed = 'ReadFailed',
  /** A defect in the reader itself; reported instead of crashing the caller. */
  Internal = 'Internal',
}

/** What a TraceError knows beyond its code and offset, for callers that word it themselves. */
export interface TraceErrorFacts {
  /** UnsupportedVersion: the trace's [major, minor]. */
  readonly version?: readonly [number, number];
  /** TruncatedHeader: the data has no bytes at all. */
  readonly empty?: boolean;
  /** TruncatedHeader, TruncatedChunk: where the data ends ("inside the chunk at byte 1234 (…)"). */
  readonly ends?: string;
}

export class TraceError extends CodedError<ErrorCode> {
  override readonly name = 'TraceError';

  /**
   * @param offset byte offset in the trace where the problem was found, or
   *   null when the problem is not tied to a position (e.g. a missing file).
   */
  constructor(
    code: ErrorCode,
    message: string,
    readonly offset: number | null = null,
    readonly facts: TraceErrorFacts = {},
  ) {
    super(code, message);
  }
}

/** Normalises anything thrown into a TraceError so the reader's contract holds. */
export function asTraceError(err: unknown, offset: number | null): TraceError {
  if (err instanceof TraceError) return err;
  return new TraceError(ErrorCode.Internal, `internal reader error: ${messageOf(err)}`, offset);
}
