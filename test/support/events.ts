/** Helpers to write model tests directly in events, without bytes. */
import type { Frame, TraceEvent } from '../../shared/trace/events';
import type { EventInput } from './trace-builder';

/** Numbers the inputs as a decoder would: seq from 0, t default previous + 1. */
export function sequence(inputs: readonly EventInput[]): TraceEvent[] {
  let t = 0;
  return inputs.map((input, seq) => {
    t = input.t ?? t + 1;
    // seq and t first, as the decoder produces them, so JSON key order matches.
    const { t: _given, ...fields } = input;
    return { seq, t, ...fields } as TraceEvent;
  });
}

export function frame(line: number, fn = 'main', file = '/app/demo.py'): Frame {
  return { file, line, function: fn };
}

export const NO_FLAGS = { started: false, ready: false, successful: false, killed: false };
