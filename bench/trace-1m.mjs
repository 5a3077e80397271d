// A trace of about 1.02M events: bench/workloads/switch_heavy.py 85000
// recorded with dist/cli.js (about 13 s here). Used for the model's
// state-at-N times and for the board in Chromium.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const MESSAGES_1M = '85000';

/** Records the trace into `output`; returns its event count (as `greenlet-lens stats` reads it). */
export function recordTrace1M(root, python, output) {
  const cli = join(root, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'record', '--python', python, '-o', output, '--',
    join(root, 'bench', 'workloads', 'switch_heavy.py'), MESSAGES_1M],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.status !== 0) throw new Error(`recording switch_heavy.py ${MESSAGES_1M} failed (${r.status}):\n${r.stderr}`);
  const s = spawnSync(process.execPath, [cli, 'stats', '--json', output], { encoding: 'utf8' });
  if (s.status !== 0) throw new Error(`greenlet-lens stats failed:\n${s.stderr}`);
  return JSON.parse(s.stdout).events;
}
