/**
 * Attach as a user does it from the installed extension: detach with
 * Disconnect and attach again to the same program; attach with nothing
 * listening fails quickly with a message saying what to start.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { listenCommand } from '../../extension/listen-command';
import type { GreenletStatusBody } from '../../shared/protocol/custom-dap';
import { Dap, PROGRAMS, PYTHON, RUNTIME_DIR, dapTest, freePort, whenListening, withTimeout, type ListeningProgram } from './support';

/**
 * long_runner.py under the command "Greenlet Lens: Copy Listen Command" copies, run by a shell
 * with no PYTHONPATH of its own, somewhere other than the checkout.
 */
async function listening(): Promise<ListeningProgram> {
  const port = await freePort();
  const command = listenCommand({ runtimeDir: RUNTIME_DIR, python: PYTHON, port, program: path.join(PROGRAMS, 'long_runner.py') });
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  delete env['PYTHONPATH'];
  // exec: the shell becomes the program, so its exit status and signals are the program's.
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { cwd: os.tmpdir(), env, stdio: ['ignore', 'ignore', 'pipe'] });
  return whenListening(child, port);
}

/** Attaches and pauses once the program's three tickers run (the first attach lets the program start). */
async function attachAndPause(dap: Dap, port: number): Promise<void> {
  await dap.begin('attach', { port, blockedLoopMs: 0 });
  let names: string[] = [];
  for (let i = 0; i < 20; i++) {
    const paused = await dap.request('pause', { threadId: 1 });
    assert.ok(paused.success, paused.message);
    assert.equal((await dap.nextStop()).body.reason, 'pause');
    names = (await dap.client.threadsRequest()).body.threads.map((t) => t.name);
    if (names.filter((n) => / ticker · /.test(n)).length === 3) return;
    await dap.client.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the tickers never ran:\n${names.join('\n')}`);
}

dapTest('started by the copied listen command: Disconnect detaches, the board is told the program runs on, and the same program can be attached again', async (dap) => {
  const prog = await listening();
  const again = new Dap();
  try {
    await attachAndPause(dap, prog.port);
    const r = await dap.request('disconnect', { terminateDebuggee: false });
    assert.ok(r.success, r.message);
    const ended = dap.all.filter((e) => e.event === 'greenletStatus').map((e) => e.body as GreenletStatusBody).find((b) => b.kind === 'ended');
    assert.deepEqual(ended, { kind: 'ended', exitCode: null, byUser: true, detached: true });

    await again.start();
    const started = Date.now();
    await attachAndPause(again, prog.port);
    assert.ok(Date.now() - started < 10_000, `attached again in ${Date.now() - started} ms`);
    const bye = await again.request('disconnect', { terminateDebuggee: true });
    assert.ok(bye.success, bye.message);
    assert.equal(await withTimeout(prog.exited, 10_000, 'the program did not end'), 143);
  } catch (err) {
    if (err instanceof Error) err.message += `\n--- the second adapter ---${again.dump()}`;
    throw err;
  } finally {
    await again.stop();
    prog.kill();
  }
});

dapTest('attach with nothing listening fails within 3 s, saying what to start', async (dap) => {
  const port = await freePort();
  await dap.client.initializeRequest();
  const started = Date.now();
  const r = await dap.request('attach', { port });
  const took = Date.now() - started;
  assert.equal(r.success, false);
  assert.match(r.message ?? '', new RegExp(`cannot connect to the Greenlet Lens runtime at 127\\.0\\.0\\.1:${port}`));
  assert.match(r.message ?? '', /greenlet_lens listen --port/);
  assert.ok(took < 3000, `failed after ${took} ms`);
});
