/**
 * What outlives a session and what does not: a launched program's children
 * end with it on terminate and when the adapter itself is killed; nothing is
 * sent after `terminated`; disconnect follows DAP (launch ends the program,
 * attach leaves it running unless terminateDebuggee says otherwise).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROGRAMS, PYTHON, ROOT, RUNTIME_DIR, allGone, alive, dapTest, freePort, stdoutMatch, whenListening, withTimeout, type Dap, type ListeningProgram } from './support';

const CHILDREN = path.join(PROGRAMS, 'dap_children.py');

/** Launches dap_children.py; returns the program's pid and its `sleep 300` child's. */
async function launchWithChild(dap: Dap): Promise<number[]> {
  await dap.begin('launch', { program: CHILDREN, python: PYTHON, cwd: ROOT });
  const m = await stdoutMatch(dap, /pids (\d+) (\d+)/);
  const pids = [Number(m[1]), Number(m[2])];
  assert.ok(pids.every(alive), `program and child run: ${pids.join(', ')}`);
  return pids;
}

dapTest('terminate ends the program and the processes it started', async (dap) => {
  const pids = await launchWithChild(dap);
  try {
    const r = await dap.request('terminate');
    assert.ok(r.success, r.message);
    await dap.next('terminated');
    await allGone(pids);
  } finally {
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  }
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
  dapTest(`an adapter ended by ${signal} takes the launched program and its children with it`, async (dap) => {
    const pids = await launchWithChild(dap);
    try {
      await dap.killAdapter(signal);
      await allGone(pids);
    } finally {
      for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  });
}

dapTest('nothing is sent after terminated, not even output of a child that outlives the program', async (dap) => {
  await dap.begin('launch', { program: CHILDREN, args: ['late'], python: PYTHON, cwd: ROOT });
  assert.equal((await dap.next('exited')).body.exitCode, 0);
  await dap.next('terminated');
  // The child writes "late-output" a second after it started.
  await new Promise((r) => setTimeout(r, 1500));
  const after = dap.all.slice(dap.all.findIndex((e) => e.event === 'terminated') + 1);
  assert.deepEqual(after.map((e) => e.event), []);
  assert.doesNotMatch(dap.output(), /late-output/);
  assert.match(dap.output('stdout'), /program done/);
});

/** `greenlet_lens listen` on long_runner.py, which runs until killed. */
async function listening(): Promise<ListeningProgram> {
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'greenlet_lens', 'listen', '--port', String(port), '--', path.join(PROGRAMS, 'long_runner.py')], {
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: RUNTIME_DIR, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return whenListening(child, port);
}

dapTest('attach: disconnect without terminateDebuggee detaches, and the program runs on', async (dap) => {
  const prog = await listening();
  try {
    await dap.begin('attach', { port: prog.port });
    const r = await dap.request('disconnect', {});
    assert.ok(r.success, r.message);
    const early = await Promise.race([prog.exited, new Promise((r) => setTimeout(() => r('running'), 1500))]);
    assert.equal(early, 'running');
  } finally {
    prog.kill();
  }
});

dapTest('attach: disconnect with terminateDebuggee ends the program (status 143, as SIGTERM would)', async (dap) => {
  const prog = await listening();
  try {
    await dap.begin('attach', { port: prog.port });
    const r = await dap.request('disconnect', { terminateDebuggee: true });
    assert.ok(r.success, r.message);
    assert.equal(await withTimeout(prog.exited, 10_000, 'the program did not end'), 143);
  } finally {
    prog.kill();
  }
});
