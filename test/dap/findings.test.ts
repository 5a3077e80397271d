// The findings of a live session, sent as `greenletFindings` after each stop:
// the trace's own verdicts, the runtime's proof that nothing still running
// can reach an object (where the trace alone cannot tell), the watchdog's
// line for a blocked loop; and `greenletWhy` for one greenlet.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Finding } from '../../shared/analysis/finding';
import type { GreenletFindingsBody } from '../../shared/protocol/custom-dap';
import type { WhyAnswer } from '../../shared/analysis/why';
import { EXAMPLES, PROGRAMS, PYTHON, ROOT, dapTest, lineOf, type Dap } from './support';

const LIVE = path.join(PROGRAMS, 'findings', 'never_woken_live.py');
const BLOCKED = path.join(PROGRAMS, 'dap_blocked.py');
const UNDRAINED = path.join(EXAMPLES, 'bugs', 'undrained_queue.py');

async function findingsAfterStop(dap: Dap): Promise<{ stop: DebugProtocol.StoppedEvent; findings: Finding[] }> {
  const stop = await dap.nextStop();
  const event = await dap.next<DebugProtocol.Event & { body: GreenletFindingsBody }>('greenletFindings');
  return { stop, findings: event.body.findings };
}

const brief = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.kind} ${path.basename(f.sites[0]?.file ?? '?')}:${f.sites[0]?.line ?? '?'} ${f.proof}`).sort();

dapTest('bugs/undrained_queue.py at its deadlock stop: the silent exception, the producer nobody can wake, the deadlock', async (dap) => {
  await dap.begin('launch', { program: UNDRAINED, python: PYTHON, cwd: ROOT }, { exceptionFilters: [] });
  const { stop, findings } = await findingsAfterStop(dap);
  assert.match(stop.body.description ?? '', /^Deadlock/);
  assert.deepEqual(brief(findings), [
    `deadlock-exhaustion undrained_queue.py:${lineOf(UNDRAINED, 'gevent.joinall(')} trace`,
    `never-woken undrained_queue.py:${lineOf(UNDRAINED, 'jobs.put(')} trace`,
    `unobserved-exception undrained_queue.py:${lineOf(UNDRAINED, 'job["id"]')} trace`,
  ]);
});

dapTest('a result nothing still running can reach: the runtime proves it while the heartbeat beats; greenletWhy says why', async (dap) => {
  await dap.begin('launch', { program: LIVE, python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: LIVE, lines: [lineOf(LIVE, '# BREAK')] }] });
  const { stop, findings } = await findingsAfterStop(dap);
  assert.equal(stop.body.reason, 'breakpoint');
  assert.deepEqual(brief(findings), [`never-woken never_woken_live.py:${lineOf(LIVE, '# NEVER-WOKEN-LIVE')} runtime`]);
  assert.match(findings[0]!.message, /^g1 <main> waits for the value of forgotten at never_woken_live\.py:\d+, but no greenlet that can still run can reach it to set it: it waits forever\.$/);
  const why = await dap.request('greenletWhy', { threadId: 1 });
  assert.ok(why.success, why.message);
  const answer = why.body as WhyAnswer;
  assert.equal(answer.g, 1);
  assert.match(answer.headline, /^g1 <main> waits for the value of forgotten at never_woken_live\.py:\d+\./);
  const bad = await dap.request('greenletWhy', { threadId: 'one' });
  assert.equal(bad.success, false);
  assert.match(bad.message ?? '', /greenletWhy needs "threadId"/);
});

dapTest('the clean twin: the fetch that will set the result still holds it, so no finding', async (dap) => {
  await dap.begin('launch', { program: LIVE, args: ['ok'], python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: LIVE, lines: [lineOf(LIVE, '# BREAK')] }] });
  const { findings } = await findingsAfterStop(dap);
  assert.deepEqual(brief(findings), []);
});

dapTest('a blocked-loop stop: the finding is on the line the watchdog caught the greenlet at', async (dap) => {
  await dap.begin('launch', { program: BLOCKED, python: PYTHON, cwd: ROOT, blockedLoopMs: 100 });
  const { stop, findings } = await findingsAfterStop(dap);
  assert.equal(stop.body.reason, 'pause');
  const loop = findings.find((f) => f.kind === 'blocked-loop');
  assert.ok(loop, brief(findings).join('\n'));
  assert.deepEqual(loop.sites[0], { file: BLOCKED, line: lineOf(BLOCKED, '# BLOCK'), function: 'hog' });
  assert.match(loop.message, /g\d+ hog ran more than 100 ms without yielding at dap_blocked\.py:\d+/);
});
