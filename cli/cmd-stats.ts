/**
 * `greenlet-lens stats FILE [--json]`. Counts are gathered while streaming,
 * without building the model, so stats works on traces of any size.
 */

import { categoryOf, type ObjectCategory } from '../shared/model/categories';
import { EVENT_KINDS, type EventKind, type Header } from '../shared/trace/events';
import { streamTraceFile, type TraceReadSummary } from '../shared/trace/read-file';
import { describeRuntime } from '../shared/runtime-versions';
import { parseArgs } from './args';
import { PID_OPTION, originNote, tracesToRead, worst } from './processes';
import { reportOutcome, unreadable } from './outcome';
import { Output } from './output';
import { seconds } from './state-text';

export interface TraceStats {
  file: string;
  fileSize: number;
  status: TraceReadSummary['status'];
  problem: { code: string; message: string; offset: number | null } | null;
  header: Header | null;
  events: number;
  bytesPerEvent: number | null;
  /** Microseconds from t0 to the last event. */
  durationUs: number;
  greenlets: number;
  objects: Record<ObjectCategory | 'total', number>;
  kinds: Record<EventKind, number>;
  exitCode: number | null;
}

export async function runStats(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { json: 'boolean', ...PID_OPTION });
  const traces = tracesToRead(args, 'stats');
  const out = new Output();
  const all: TraceStats[] = [];
  let status = 0;
  for (const { file } of traces) {
    const { stats, summary } = await statsOf(file);
    if (stats !== null) {
      all.push(stats);
      if (!args.flags.has('json')) {
        if (traces.length > 1) await out.line(all.length === 1 ? `processes  ${traces.length}` : '');
        for (const line of formatStats(stats)) await out.line(line);
      }
    }
    await out.flush();
    status = worst(status, reportOutcome(file, summary));
  }
  // One process keeps the one-object form; a recording of several is {"processes": [...]}.
  if (args.flags.has('json')) await out.line(JSON.stringify(traces.length === 1 ? all[0] ?? null : { processes: all }, null, 2));
  await out.flush();
  return status;
}

async function statsOf(file: string): Promise<{ stats: TraceStats | null; summary: TraceReadSummary }> {
  const kinds = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
  const greenlets = new Set<number>();
  const objects: Record<ObjectCategory | 'total', number> = { total: 0, queue: 0, event: 0, lock: 0 };
  let lastT = 0;
  let exitCode: number | null = null;
  const summary = await streamTraceFile(file, (events) => {
    for (const ev of events) {
      kinds[ev.kind]++;
      lastT = ev.t;
      if (ev.kind === 'spawn') greenlets.add(ev.g);
      else if (ev.kind === 'object') {
        objects.total++;
        objects[categoryOf(ev.okind)]++;
      } else if (ev.kind === 'end') exitCode = ev.code;
    }
  });
  if (unreadable(summary)) return { stats: null, summary };

  const p = summary.problem;
  const stats: TraceStats = {
    file,
    fileSize: summary.fileSize,
    status: summary.status,
    problem: p === null ? null : { code: p.code, message: p.message, offset: p.offset },
    header: summary.header,
    events: summary.eventCount,
    bytesPerEvent: summary.eventCount === 0 ? null : round(summary.fileSize / summary.eventCount, 2),
    durationUs: lastT,
    greenlets: greenlets.size,
    objects,
    kinds,
    exitCode,
  };
  return { stats, summary };
}

function formatStats(s: TraceStats): string[] {
  const h = s.header;
  const rows: [string, string][] = [
    ['file', `${s.file} (${s.fileSize} bytes)`],
    ['status', s.problem === null ? s.status : `${s.status}: ${s.problem.message}`],
  ];
  if (h !== null) {
    rows.push(['runtime', `${describeRuntime(h)}${h.loop !== null ? ` (loop ${h.loop})` : ''}`]);
    rows.push(['program', `${h.argv.join(' ')} (pid ${h.pid}${originNote(h)}, cwd ${h.cwd})`]);
  }
  rows.push(['events', `${s.events}${s.bytesPerEvent === null ? '' : ` (${s.bytesPerEvent} bytes/event)`}`]);
  rows.push(['duration', `${seconds(s.durationUs)} s`]);
  rows.push(['greenlets', String(s.greenlets)]);
  rows.push(['objects', `${s.objects.total} (${s.objects.queue} queues, ${s.objects.event} events/results, ${s.objects.lock} locks)`]);
  if (s.exitCode !== null) rows.push(['exit code', String(s.exitCode)]);
  const lines = rows.map(([k, v]) => `${k.padEnd(10)} ${v}`);
  lines.push('events by kind:');
  for (const kind of EVENT_KINDS) if (s.kinds[kind] > 0) lines.push(`  ${kind.padEnd(10)} ${s.kinds[kind]}`);
  return lines;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
