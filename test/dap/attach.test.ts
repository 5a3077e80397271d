import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, PYTHON, ROOT, RUNTIME_DIR, dapTest, frames, freePort, lineOf, withTimeout } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_workers.py');
const BREAK = lineOf(PROGRAM, '# BREAK');

dapTest('attach to "python3 -m greenlet_lens listen --port N prog": breakpoints, threads, run to the end', async (dap) => {
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'greenlet_lens', 'listen', '--port', String(port), '--', PROGRAM], {
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: RUNTIME_DIR, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const listening = new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(`listening on 127.0.0.1:${port}`)) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await withTimeout(listening, 20_000, `the program did not say it listens:\n${stderr}`);
    await dap.begin('attach', { port }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
    const stop = await dap.nextStop();
    assert.equal(stop.body.reason, 'breakpoint');
    const g = stop.body.threadId!;
    const threads = (await dap.client.threadsRequest()).body.threads;
    assert.equal(threads.filter((t) => / worker · /.test(t.name)).length, 3, threads.map((t) => t.name).join('\n'));
    const top = (await frames(dap, g))[0]!;
    assert.deepEqual([top.name, top.line], ['worker', BREAK]);
    await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
    await dap.client.continueRequest({ threadId: g });
    const done = await dap.nextOf(['exited', 'terminated']);
    if (done.event === 'exited') assert.equal((done as DebugProtocol.ExitedEvent).body.exitCode, 0);
    assert.equal(await withTimeout(exited, 20_000, 'the program did not end'), 0, stderr);
    assert.match(stdout, /results \[\('ann', 0\)/);
  } finally {
    child.kill('SIGKILL');
  }
});
