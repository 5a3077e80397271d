/**
 * Reading a trace file from disk (Node only: this is the one module of
 * shared/trace that imports fs, so the webview bundle must not import it).
 * The file goes through the decoder in pieces, so memory stays bounded by
 * what the caller keeps, not by the file size.
 */

import * as fs from 'fs';
import { ErrorCode, TraceError, messageOf } from '../errors';
import { TraceDecoder, type DecodeResult, type DecodeStatus } from './decoder';
import type { Header, TraceEvent } from './events';

export const DEFAULT_READ_SIZE = 1024 * 1024;

export interface TraceReadSummary {
  readonly header: Header | null;
  readonly status: DecodeStatus;
  /** Why decoding stopped early (truncated or corrupt data); null otherwise. */
  readonly problem: TraceError | null;
  readonly eventCount: number;
  /** Bytes read (less than fileSize when decoding stopped at a problem). */
  readonly bytes: number;
  /** Size of the file when it was opened (it may still be growing). */
  readonly fileSize: number;
}

export interface TraceReadResult extends TraceReadSummary {
  readonly events: TraceEvent[];
}

export type EventSink = (events: TraceEvent[], header: Header | null) => void | Promise<void>;

/**
 * Streams a trace file through the decoder, handing each batch of decoded
 * events to `onEvents` (awaited, so a slow consumer applies backpressure).
 * Rejects only with a TraceError (FileNotFound, ReadFailed) when the file
 * cannot be read at all; bad content is reported in the summary instead.
 */
export async function streamTraceFile(
  path: string,
  onEvents: EventSink,
  readSize = DEFAULT_READ_SIZE,
): Promise<TraceReadSummary> {
  const decoder = new TraceDecoder();
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (err) {
    throw fileError(path, err);
  }
  let fileSize: number;
  try {
    fileSize = (await handle.stat().catch((err: unknown) => { throw fileError(path, err); })).size;
    for (;;) {
      // A fresh buffer per read: cheap next to decoding, and safe whatever
      // the consumer keeps.
      const buffer = new Uint8Array(readSize);
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buffer, 0, readSize, null));
      } catch (err) {
        throw fileError(path, err);
      }
      if (n === 0) break;
      const events = decoder.push(buffer.subarray(0, n));
      if (events.length > 0) await onEvents(events, decoder.header);
      if (decoder.problem !== null) break;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  const end = decoder.finish();
  if (end.events.length > 0) await onEvents(end.events, decoder.header);
  return summarise(decoder, end, fileSize);
}

function summarise(decoder: TraceDecoder, end: DecodeResult, fileSize: number): TraceReadSummary {
  return {
    header: decoder.header,
    status: end.status,
    problem: end.problem,
    eventCount: decoder.eventCount,
    bytes: decoder.bytesReceived,
    fileSize,
  };
}

/** Reads a whole trace into memory. */
export async function readTraceFile(path: string, readSize = DEFAULT_READ_SIZE): Promise<TraceReadResult> {
  const events: TraceEvent[] = [];
  const summary = await streamTraceFile(path, (batch) => {
    for (const ev of batch) events.push(ev);
  }, readSize);
  return { ...summary, events };
}

/** Synchronous variant for callers that cannot await (tests, simple tools). */
export function readTraceFileSync(path: string, readSize = DEFAULT_READ_SIZE): TraceReadResult {
  const decoder = new TraceDecoder();
  const events: TraceEvent[] = [];
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw fileError(path, err);
  }
  let fileSize: number;
  try {
    try {
      fileSize = fs.fstatSync(fd).size;
    } catch (err) {
      throw fileError(path, err);
    }
    const buffer = new Uint8Array(readSize);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buffer, 0, readSize, null);
      } catch (err) {
        throw fileError(path, err);
      }
      if (n === 0 || decoder.problem !== null) break;
      for (const ev of decoder.push(buffer.subarray(0, n))) events.push(ev);
    }
  } finally {
    fs.closeSync(fd);
  }
  const end = decoder.finish();
  for (const ev of end.events) events.push(ev);
  return { ...summarise(decoder, end, fileSize), events };
}

function fileError(path: string, err: unknown): TraceError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'ENOENT') return new TraceError(ErrorCode.FileNotFound, `no such file: ${path}`);
  if (code === 'EISDIR') return new TraceError(ErrorCode.ReadFailed, `${path} is a directory, not a trace file`);
  const detail = messageOf(err);
  return new TraceError(ErrorCode.ReadFailed, `cannot read ${path}: ${detail}`);
}
