/**
 * The traces a read-only command reads: FILE alone, or every process of a
 * recording that followed forked children (FILE and FILE.d/, or the folder),
 * narrowed by --pid N to one process.
 */

import * as fs from 'fs';
import * as path from 'path';
import { processTraces, type ProcessTrace } from '../shared/node/process-traces';
import { TraceDecoder } from '../shared/trace/decoder';
import type { Header } from '../shared/trace/events';
import { singleFile, type ParsedArgs } from './args';
import { UsageError } from './usage';
import { processName, unreadableProcess } from '../shared/present/process-words';

export { originNote } from '../shared/present/process-words';

export const PID_OPTION = { pid: 'string' } as const;

export function tracesToRead(args: ParsedArgs, command: string): ProcessTrace[] {
  const file = singleFile(args, command);
  const traces = processTraces(file);
  const pidText = args.values.get('pid');
  if (pidText === undefined) return traces;
  if (!/^\d+$/.test(pidText)) throw new UsageError(`--pid expects a process id, got ${JSON.stringify(pidText)}`);
  const pid = Number(pidText);
  const chosen = traces.filter((t) => (t.pid ?? headerPid(t.file)) === pid);
  if (chosen.length === 0) {
    const pids = traces.map((t) => t.pid ?? headerPid(t.file)).filter((p) => p !== null);
    throw new UsageError(`--pid ${pid}: ${file} holds no trace of that process (processes: ${pids.join(', ') || 'none'})`);
  }
  return chosen;
}

/** The pid in a trace's header, or null when unreadable. */
function headerPid(file: string): number | null {
  return headerOf(file)?.pid ?? null;
}

/** A trace's header (its first bytes only), or null when unreadable. */
export function headerOf(file: string): Header | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const decoder = new TraceDecoder();
    const buffer = new Uint8Array(64 * 1024);
    for (let i = 0; i < 16 && decoder.header === null && decoder.problem === null; i++) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      decoder.push(buffer.subarray(0, n));
    }
    return decoder.header;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** How a process is named in a list of a recording's processes: "pid N (forked from M)". */
export function processLabel(trace: ProcessTrace): string {
  const header = headerOf(trace.file);
  return header === null ? unreadableProcess(path.basename(trace.file)) : processName(header);
}

/** The worse of two exit statuses (0 ok, 1 bad input). */
export function worst(a: number, b: number): number {
  return Math.max(a, b);
}
