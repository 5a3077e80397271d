/** `greenlet-lens state FILE [--at N] [--text]`: the model's state after event N. */

import { TraceModel } from '../shared/model/trace-model';
import { streamTraceFile } from '../shared/trace/read-file';
import { parseArgs, singleFile } from './args';
import { reportOutcome, unreadable } from './outcome';
import { Output } from './output';
import { formatStateText } from './state-text';
import { UsageError } from './usage';

export async function runState(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { at: 'string', text: 'boolean' });
  const file = singleFile(args, 'state');
  const atText = args.values.get('at');
  if (atText !== undefined && !/^\d+$/.test(atText)) throw new UsageError(`--at expects an event number (0, 1, ...), got ${JSON.stringify(atText)}`);

  const model = new TraceModel();
  const summary = await streamTraceFile(file, (events) => model.appendAll(events));
  if (unreadable(summary)) return reportOutcome(file, summary);

  const last = model.eventCount - 1;
  const at = atText === undefined ? last : Number(atText);
  if (at > last) {
    reportOutcome(file, summary);
    throw new UsageError(`--at ${at}: the trace has ${model.eventCount} events (0..${last})`);
  }
  const state = model.stateAt(at);
  const out = new Output();
  if (args.flags.has('text')) {
    for (const line of formatStateText(state)) await out.line(line);
  } else {
    await out.line(JSON.stringify(state, null, 2));
  }
  await out.flush();
  return reportOutcome(file, summary);
}
