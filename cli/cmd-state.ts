/**
 * `greenlet-lens state FILE [--at N] [--text]`: the model's state after event N.
 *
 * Built in one pass with only the latest state kept (no event log, no
 * checkpoints), and printed piece by piece, each greenlet's view made as it
 * is printed: a trace of a million greenlets never becomes one string, one
 * array of lines or a second copy of its greenlets.
 */

import { TraceModel } from '../shared/model/trace-model';
import type { GreenletViews } from '../shared/model/snapshot';
import type { TraceState } from '../shared/model/state';
import { streamTraceFile } from '../shared/trace/read-file';
import { parseArgs, singleFile } from './args';
import { reportOutcome, unreadable } from './outcome';
import { Output } from './output';
import { arrayViews, stateTextLines } from './state-text';
import { UsageError } from './usage';

export async function runState(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { at: 'string', text: 'boolean' });
  const file = singleFile(args, 'state');
  const atText = args.values.get('at');
  if (atText !== undefined && !/^\d+$/.test(atText)) throw new UsageError(`--at expects an event number (0, 1, ...), got ${JSON.stringify(atText)}`);
  const at = atText === undefined ? Infinity : Number(atText);

  const model = new TraceModel({ history: false, keepDead: Infinity });
  let total = 0;
  const summary = await streamTraceFile(file, (events) => {
    for (const ev of events) {
      if (ev.seq <= at) model.append(ev);
    }
    total += events.length;
  });
  if (unreadable(summary)) return reportOutcome(file, summary);

  const last = total - 1;
  if (at !== Infinity && at > last) {
    reportOutcome(file, summary);
    throw new UsageError(`--at ${at}: the trace has ${total} events (0..${last})`);
  }
  const { state, greenlets } = model.latestParts();
  const out = new Output();
  if (args.flags.has('text')) {
    for (const line of stateTextLines(state, greenlets)) await out.line(line);
  } else {
    for (const piece of jsonPieces(state, greenlets)) await out.line(piece);
  }
  await out.flush();
  return reportOutcome(file, summary);
}

/**
 * JSON.stringify(state, null, 2), line group by line group: each top-level
 * array is written one element at a time.
 */
export function* jsonPieces(state: TraceState, greenlets: GreenletViews = arrayViews(state.greenlets)): Generator<string> {
  const entries = Object.entries(state);
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!;
    const comma = i < entries.length - 1 ? ',' : '';
    const name = `  ${JSON.stringify(key)}: `;
    const items: { count: number; each(): Iterable<unknown> } | null = key === 'greenlets'
      ? greenlets
      : Array.isArray(value) ? { count: value.length, each: () => value as unknown[] } : null;
    if (items !== null && items.count > 0) {
      yield `${name}[`;
      let k = 0;
      for (const item of items.each()) {
        yield indent(JSON.stringify(item, null, 2), '    ') + (++k < items.count ? ',' : '');
      }
      yield `  ]${comma}`;
    } else {
      yield name + indent(JSON.stringify(value, null, 2), '  ').trimStart() + comma;
    }
  }
  yield '}';
}

function indent(text: string, pad: string): string {
  return pad + text.replace(/\n/g, `\n${pad}`);
}
