/**
 * The programs the whole-runtime tests run: every example (examples/*.py,
 * examples/bugs/*.py) and every bench workload, scaled down to about a second.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, QUICK, ROOT, type AsyncRunOptions } from './support';

export interface Case {
  file: string;
  args?: string[];
  options?: AsyncRunOptions;
}

const WORKLOADS = path.join(ROOT, 'bench', 'workloads');
/** Bench workloads at a size that runs in about a second. */
const WORKLOAD_ARGS: Record<string, string[]> = {
  'busy_forever.py': ['20'],
  'short_lived.py': ['20000'],
  'io_bound.py': ['5', '20'],
  'large_backlog.py': ['2000', '50'],
  'snapshot_10k.py': ['200', '0.1'],
  'spawn_heavy.py': ['500'],
  'switch_heavy.py': ['500'],
  'pool_1000.py': ['2'],
};

function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.py') && !f.startsWith('_')).sort().map((f) => path.join(dir, f));
}

export const CASES: Case[] = [
  ...pythonFiles(EXAMPLES).map((file) => ({
    file,
    // shutdown.py sleeps until SIGQUIT, sent once its handler is installed.
    options: { extra: QUICK, ...(path.basename(file) === 'shutdown.py' ? { signalWhenHandled: 'SIGQUIT' as const } : {}) },
  })),
  ...pythonFiles(path.join(EXAMPLES, 'bugs')).map((file) => ({ file, options: { extra: QUICK } })),
  ...pythonFiles(WORKLOADS).map((file) => ({ file, args: WORKLOAD_ARGS[path.basename(file)] ?? [] })),
];
