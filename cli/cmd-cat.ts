/**
 * `greenlet-lens cat FILE [--header] [--pid N]`: the events as JSON Lines.
 * For a recording of several processes each process's events follow its
 * parent's, and every line carries the process's "pid".
 */

import { streamTraceFile } from '../shared/trace/read-file';
import type { Header } from '../shared/trace/events';
import { parseArgs } from './args';
import { reportOutcome } from './outcome';
import { Output } from './output';
import { PID_OPTION, tracesToRead, worst } from './processes';

export async function runCat(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { header: 'boolean', ...PID_OPTION });
  const traces = tracesToRead(args, 'cat');
  const out = new Output();
  let status = 0;
  for (const { file } of traces) {
    let headerDue = args.flags.has('header');
    const printHeader = async (header: Header | null): Promise<void> => {
      if (!headerDue || header === null) return;
      headerDue = false;
      await out.line(JSON.stringify({ header }));
    };
    const summary = await streamTraceFile(file, async (events, header) => {
      await printHeader(header);
      if (traces.length === 1) for (const ev of events) await out.line(JSON.stringify(ev));
      else for (const ev of events) await out.line(JSON.stringify({ pid: header?.pid ?? 0, ...ev }));
    });
    await printHeader(summary.header);
    await out.flush();
    status = worst(status, reportOutcome(file, summary));
  }
  return status;
}
