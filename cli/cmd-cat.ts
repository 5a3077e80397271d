/** `greenlet-lens cat FILE [--header]`: the events as JSON Lines. */

import { streamTraceFile } from '../shared/trace/read-file';
import type { Header } from '../shared/trace/events';
import { parseArgs, singleFile } from './args';
import { reportOutcome } from './outcome';
import { Output } from './output';

export async function runCat(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { header: 'boolean' });
  const file = singleFile(args, 'cat');
  const out = new Output();
  let headerDue = args.flags.has('header');
  const printHeader = async (header: Header | null): Promise<void> => {
    if (!headerDue || header === null) return;
    headerDue = false;
    await out.line(JSON.stringify({ header }));
  };
  const summary = await streamTraceFile(file, async (events, header) => {
    await printHeader(header);
    for (const ev of events) await out.line(JSON.stringify(ev));
  });
  await printHeader(summary.header);
  await out.flush();
  return reportOutcome(file, summary);
}
