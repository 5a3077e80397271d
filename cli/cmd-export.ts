/**
 * `greenlet-lens export --format perfetto FILE [-o OUT.json]`: the trace as
 * Chrome trace-event JSON for chrome://tracing or the Perfetto UI. Without
 * -o (or with -o -) the JSON goes to stdout. A truncated or corrupt trace is
 * still exported up to where it could be read, and exits 1 saying so.
 */

import { messageOf } from '../shared/errors';
import * as fs from 'fs';
import { PerfettoExporter, perfettoJson } from '../shared/export/perfetto';
import { streamTraceFile } from '../shared/trace/read-file';
import { parseArgs, singleFile } from './args';
import { reportOutcome, unreadable } from './outcome';
import { Output, printError, printNote } from './output';
import { UsageError } from './usage';

const FORMATS = ['perfetto'];

export async function runExport(argv: readonly string[]): Promise<number> {
  // -o is the one short option; the shared parser knows long ones only.
  const long = argv.map((a) => (a === '-o' ? '--output' : a.startsWith('-o') && a.length > 2 && !a.startsWith('--') ? `--output=${a.slice(2)}` : a));
  const args = parseArgs(long, { format: 'string', output: 'string' });
  const format = args.values.get('format');
  if (format === undefined) throw new UsageError(`export: missing --format (formats: ${FORMATS.join(', ')})`);
  if (!FORMATS.includes(format)) throw new UsageError(`export: unknown format ${JSON.stringify(format)} (formats: ${FORMATS.join(', ')})`);
  const file = singleFile(args, 'export');
  const output = args.values.get('output') ?? '-';
  if (output === '') throw new UsageError('export: -o needs a file name');

  const exporter = new PerfettoExporter();
  const summary = await streamTraceFile(file, (events) => exporter.add(events));
  if (unreadable(summary)) return reportOutcome(file, summary);

  const text = perfettoJson(exporter.finish(summary.header));
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
  if (summary.status === 'truncated' || summary.status === 'corrupt') {
    printNote(`exported the ${summary.eventCount} events read before the problem to ${output === '-' ? 'stdout' : output}`);
  }
  return reportOutcome(file, summary);
}
