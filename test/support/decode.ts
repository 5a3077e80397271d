/** Runs bytes through a TraceDecoder in the given pieces and gathers everything. */
import { TraceDecoder, type DecodeResult } from '../../shared/trace/decoder';
import type { Header, TraceEvent } from '../../shared/trace/events';

export interface Decoded {
  header: Header | null;
  events: TraceEvent[];
  result: DecodeResult;
}

export function decodePieces(pieces: readonly Uint8Array[]): Decoded {
  const decoder = new TraceDecoder();
  const events: TraceEvent[] = [];
  for (const piece of pieces) events.push(...decoder.push(piece));
  const result = decoder.finish();
  events.push(...result.events);
  return { header: decoder.header, events, result };
}

export function decodeAll(bytes: Uint8Array): Decoded {
  return decodePieces([bytes]);
}

/** Splits bytes at the given ascending positions. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}
