import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, PYTHON, QUICK, ROOT, cli, dapTest, record } from './support';

const PROGRAM = path.join(EXAMPLES, 'queue_workers.py');

dapTest('repeated stepSwitch stops before every switch, in the order the recorder writes them', async (dap) => {
  const trace = record(PROGRAM, QUICK);
  const recorded = cli(['cat', trace]).stdout.trim().split('\n')
    .map((l) => JSON.parse(l) as { kind: string; from: number; to: number })
    .filter((e) => e.kind === 'switch')
    .map((e) => `${e.from}→${e.to}`);
  assert.ok(recorded.length > 20, `the recording has ${recorded.length} switches`);

  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, stopOnEntry: true, env: QUICK });
  const entry = await dap.nextStop();
  assert.equal(entry.body.reason, 'entry');
  assert.equal((await dap.nextStopFacts()).reason, 'entry');
  const visited: string[] = [];
  for (let i = 0; i < recorded.length + 5; i++) {
    const r = await dap.request('stepSwitch', { threadId: entry.body.threadId });
    assert.ok(r.success, r.message);
    const e = await dap.nextOf(['stopped', 'terminated']);
    if (e.event === 'terminated') break;
    const stop = e as DebugProtocol.StoppedEvent;
    const facts = await dap.nextStopFacts();
    assert.equal(stop.body.reason, 'step');
    assert.equal(facts.reason, 'switch');
    assert.equal(stop.body.description, `switch g${facts.from} → g${facts.to}`);
    visited.push(`${facts.from}→${facts.to}`);
    // docs/debug-protocol.md: the stop is in the greenlet switched into.
    assert.equal(stop.body.threadId, facts.to);
  }
  assert.deepEqual(visited, recorded);
});

dapTest('runToGreenlet runs until that greenlet is switched into', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, stopOnEntry: true, env: QUICK });
  await dap.nextStop();
  await dap.nextStopFacts();
  // Step until the three workers exist, then run to the last of them.
  let target = 0;
  for (let i = 0; i < 40 && target === 0; i++) {
    await dap.request('stepSwitch');
    await dap.nextStop();
    await dap.nextStopFacts();
    const workers = (await dap.client.threadsRequest()).body.threads.filter((t) => / worker · /.test(t.name));
    if (workers.length === 3) target = workers[2]!.id;
  }
  assert.ok(target > 0, 'three workers appeared');
  const r = await dap.request('runToGreenlet', { threadId: target });
  assert.ok(r.success, r.message);
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'step');
  assert.equal((await dap.nextStopFacts()).to, target, stop.body.description);
});
