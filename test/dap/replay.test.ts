import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, QUICK, ROOT, cli, dapTest, frames, lineOf, record, tmpFile, variablesOf, type Dap } from './support';

const PROGRAM = path.join(EXAMPLES, 'queue_workers.py');
/** `gevent.sleep(0)` in worker(): every worker waits here and is resumed here, again and again. */
const SLEEP_LINE = lineOf(PROGRAM, 'gevent.sleep(0)');

interface Stop {
  readonly description: string;
  readonly threadId: number;
  readonly top: string;
}

async function stopAfter(dap: Dap, command: string, reason = 'step'): Promise<Stop> {
  const r = await dap.request(command, { threadId: 1 });
  assert.ok(r.success, `${command}: ${r.message}`);
  const e = await dap.nextStop();
  assert.equal(e.body.reason, reason, `${command}: ${e.body.description}`);
  const f = await frames(dap, e.body.threadId!);
  const top = f[0]!;
  return { description: e.body.description ?? '', threadId: e.body.threadId!, top: `${top.source?.path ?? top.name}:${top.line}` };
}

async function snapshot(dap: Dap): Promise<{ seq: number; greenlets: { id: number; state: string }[] }> {
  const r = await dap.request('greenletSnapshot');
  assert.ok(r.success, r.message);
  return (r.body as { state: { seq: number; greenlets: { id: number; state: string }[] } }).state;
}

dapTest('a replay session steps forward and back through the recorded switches', async (dap) => {
  const trace = record(PROGRAM, QUICK);
  const switches = cli(['cat', trace]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string }).filter((e) => e.kind === 'switch').length;

  await dap.begin('launch', { replay: trace });
  assert.ok(dap.all.some((e) => e.event === 'capabilities' && (e.body as { capabilities: DebugProtocol.Capabilities }).capabilities.supportsStepBack));
  const entry = await dap.nextStop();
  assert.equal(entry.body.reason, 'entry');
  assert.match(entry.body.description ?? '', new RegExp(`switch g\\d+ → g\\d+ \\(switch 1 of ${switches}\\)`));

  const seen: Stop[] = [];
  for (let i = 0; i < 12; i++) seen.push(await stopAfter(dap, 'stepSwitch'));
  assert.match(seen[11]!.description, new RegExp(`^switch g\\d+ → g\\d+ \\(switch 13 of ${switches}\\)$`));
  // Back across a switch: the stop, its greenlet and its top frame are those of the earlier stop.
  const back = await stopAfter(dap, 'stepBack');
  assert.deepEqual(back, seen[10]);
  const back2 = await stopAfter(dap, 'stepBack');
  assert.deepEqual(back2, seen[9]);
  assert.notEqual(back2.threadId, back.threadId);
  // next is a switch step too.
  assert.deepEqual(await stopAfter(dap, 'next'), seen[10]);

  // Threads and the Greenlet scope are the recorded state at the cursor, as `greenlet-lens state --at` shows it.
  const state = await snapshot(dap);
  const atCli = JSON.parse(cli(['state', trace, '--at', String(state.seq)]).stdout) as { greenlets: { id: number; state: string }[] };
  assert.deepEqual(state.greenlets.map((g) => [g.id, g.state]), atCli.greenlets.map((g) => [g.id, g.state]));
  const threads = (await dap.client.threadsRequest()).body.threads;
  const alive = atCli.greenlets.filter((g) => !g.state.startsWith('dead')).map((g) => g.id);
  assert.deepEqual(threads.map((t) => t.id), alive);
  for (const t of threads) {
    const g = atCli.greenlets.find((x) => x.id === t.id)!;
    assert.ok(t.name.startsWith(`g${t.id} `), t.name);
    const f = await frames(dap, t.id);
    const scopes = (await dap.client.scopesRequest({ frameId: f[0]!.id })).body.scopes;
    assert.deepEqual(scopes.map((s) => s.name), ['Greenlet']);
    const vars = await variablesOf(dap, scopes[0]!.variablesReference);
    assert.equal(vars['id'], `g${t.id}`);
    if (g.state === 'blocked') assert.match(vars['state']!, /^blocked/);
    else assert.equal(vars['state'], g.state.replace('_', ' '));
  }

  // Back to the very start: a stop on entry, not an error.
  let stop = await stopAfter(dap, 'stepBack');
  while (!/^start of trace/.test(stop.description)) {
    const r = await dap.request('stepBack');
    assert.ok(r.success, r.message);
    const e = await dap.nextStop();
    stop = { description: e.body.description ?? '', threadId: e.body.threadId!, top: '' };
    if (e.body.reason === 'entry') break;
  }
  assert.match(stop.description, /switch 1 of/);
});

dapTest('a replay session continues to breakpoints, reverse continues to earlier hits and stops at the end', async (dap) => {
  const trace = record(PROGRAM, QUICK);
  await dap.begin('launch', { replay: trace }, { breakpoints: [{ path: PROGRAM, lines: [SLEEP_LINE] }] });
  await dap.nextStop();
  const hits: Stop[] = [];
  for (let i = 0; i < 3; i++) {
    const hit = await stopAfter(dap, 'continue', 'breakpoint');
    // The greenlet stopped in resumed from gevent.sleep(0).
    const f = await frames(dap, hit.threadId);
    assert.ok(f.some((x) => x.source?.path === PROGRAM), JSON.stringify(f));
    hits.push(hit);
  }
  assert.equal(new Set(hits.map((h) => h.description)).size, 3, 'three different hits');
  assert.deepEqual(await stopAfter(dap, 'reverseContinue', 'breakpoint'), hits[1]);
  assert.deepEqual(await stopAfter(dap, 'reverseContinue', 'breakpoint'), hits[0]);
  assert.match((await stopAfter(dap, 'reverseContinue', 'entry')).description, /^start of trace/);

  // Without breakpoints, continue runs to the end of the trace and stops there, still able to step back.
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  const end = await stopAfter(dap, 'continue');
  assert.match(end.description, /^end of trace: switch g\d+ → g\d+ \(switch (\d+) of \1\)$/);
  assert.match((await stopAfter(dap, 'stepSwitch')).description, /^end of trace/);
  assert.doesNotMatch((await stopAfter(dap, 'stepBack')).description, /trace/);
  assert.ok(!dap.all.some((e) => e.event === 'terminated'));
});

dapTest('replay of a missing or corrupt trace is an error response; a truncated one opens with a note', async (dap) => {
  await dap.client.initializeRequest();
  const missing = await dap.request('launch', { replay: path.join(ROOT, 'no-such-trace.glt') });
  assert.equal(missing.success, false);
  assert.equal((missing.body as { error: { id: number } }).error.id, 3026);
  assert.match(missing.message ?? '', /no-such-trace\.glt/);

  const garbage = tmpFile('garbage.glt');
  fs.writeFileSync(garbage, 'not a trace at all\n');
  const corrupt = await dap.request('launch', { replay: garbage });
  assert.equal(corrupt.success, false);
  assert.equal((corrupt.body as { error: { id: number } }).error.id, 3026);

  const whole = fs.readFileSync(record(PROGRAM, QUICK));
  const cut = tmpFile('cut.glt');
  fs.writeFileSync(cut, whole.subarray(0, whole.length - 40));
  const ok = await dap.request('launch', { replay: cut });
  assert.ok(ok.success, ok.message);
  await dap.next('initialized');
  assert.match(dap.output('console'), /truncated/);
  await dap.client.configurationDoneRequest();
  assert.equal((await dap.nextStop()).body.reason, 'entry');
});
