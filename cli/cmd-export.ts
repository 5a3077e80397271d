/**
 * `greenlet-lens export --format perfetto FILE [-o OUT.json]`: the trace as
 * Chrome trace-event JSON for chrome://tracing or the Perfetto UI. Without
 * -o (or with -o -) the JSON goes to stdout. A truncated or corrupt trace is
 * still exported up to where it could be read, and exits 1 saying so.
 */

import { messageOf } from '../shared/errors';
import * as fs from 'fs';
import { PerfettoExporter, mergeProcesses, perfettoJson, type ChromeTrace } from '../shared/export/perfetto';
import { streamTraceFile, type TraceReadSummary } from '../shared/trace/read-file';
import { parseArgs } from './args';
import { PID_OPTION, tracesToRead, worst } from './processes';
import { reportOutcome, unreadable } from './outcome';
import { Output, printError, printNote } from './output';
import { UsageError } from './usage';

const FORMATS = ['perfetto'];

export async function runExport(argv: readonly string[]): Promise<number> {
  // -o is the one short option; the shared parser knows long ones only.
  const long = argv.map((a) => (a === '-o' ? '--output' : a.startsWith('-o') && a.length > 2 && !a.startsWith('--') ? `--output=${a.slice(2)}` : a));
  const args = parseArgs(long, { format: 'string', output: 'string', ...PID_OPTION });
  const format = args.values.get('format');
  if (format === undefined) throw new UsageError(`export: missing --format (formats: ${FORMATS.join(', ')})`);
  if (!FORMATS.includes(format)) throw new UsageError(`export: unknown format ${JSON.stringify(format)} (formats: ${FORMATS.join(', ')})`);
  const traces = tracesToRead(args, 'export');
  const output = args.values.get('output') ?? '-';
  if (output === '') throw new UsageError('export: -o needs a file name');

  const parts: { trace: ChromeTrace; t0: number }[] = [];
  const read: { file: string; summary: TraceReadSummary }[] = [];
  for (const { file } of traces) {
    const exporter = new PerfettoExporter();
    const summary = await streamTraceFile(file, (events) => exporter.add(events));
    read.push({ file, summary });
    if (unreadable(summary)) continue;
    parts.push({ trace: exporter.finish(summary.header), t0: summary.header?.t0 ?? 0 });
  }
  if (parts.length === 0) return read.reduce((s, r) => worst(s, reportOutcome(r.file, r.summary)), 0);

  const text = perfettoJson(mergeProcesses(parts));
  if (output === '-') {
    const out = new Output();
    await out.line(text.replace(/\n$/, ''));
    await out.flush();
  } else {
    try {
      fs.writeFileSync(output, text);
    } catch (err) {
      printError(`cannot write ${output}: ${messageOf(err)}`);
      return 1;
    }
  }
  let status = 0;
  for (const { file, summary } of read) {
    if (summary.status === 'truncated' || summary.status === 'corrupt') {
      printNote(`exported the ${summary.eventCount} events read before the problem${read.length > 1 ? ` in ${file}` : ''} to ${output === '-' ? 'stdout' : output}`);
    }
    status = worst(status, reportOutcome(file, summary));
  }
  return status;
}
