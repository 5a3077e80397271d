/**
 * A copy of examples/ for tests that open it as a VS Code workspace (so the
 * repository is never written to), with recordings/bounded_queue.glt
 * freshly recorded by the built CLI, as `npm start` does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const LIVE_CONFIG = 'bounded_queue.py: a boss blocked on a full queue';
export const REPLAY_CONFIG = 'Replay recordings/bounded_queue.glt (step forward and back)';

export function examplesWorkspace(parent: string): string {
  const ws = path.join(parent, 'examples');
  fs.cpSync(path.join(ROOT, 'examples'), ws, {
    recursive: true,
    filter: (src) => !src.endsWith('.glt') && !src.includes('__pycache__'),
  });
  const trace = path.join(ws, 'recordings', 'bounded_queue.glt');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'record', '--output', trace, '--', 'bounded_queue.py'], {
    cwd: ws, encoding: 'utf8', env: { ...process.env, SEED_SCALE: '0.2', PYTHONDONTWRITEBYTECODE: '1' }, timeout: 60_000,
  });
  assert.ok(fs.existsSync(trace), `recording bounded_queue.py failed: ${r.status}\n${r.stderr}`);
  return ws;
}
