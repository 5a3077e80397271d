/**
 * Live sessions follow forked children: each worker connects back to the
 * adapter and becomes a child session through the `startDebugging` reverse
 * request, with its own greenlets, breakpoints and stops; Stop on the
 * parent ends every worker; `"subProcess": false` turns it off.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { httpGet, serverStack } from '../support/stacks';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { alive, allGone, Dap, dapTest, frames, lineOf, PROGRAMS, PYTHON, stdoutMatch, tmpFile } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_fork_workers.py');
const HANDLE = lineOf(PROGRAM, '# HANDLE');
const BREAKPOINTS = [{ path: PROGRAM, lines: [HANDLE] }];
// Every launch below has blockedLoopMs 0: the parent waits for its workers in a blocking
// waitpid, which the watchdog would (rightly) stop as a blocked loop on a slow machine.

interface Child {
  dap: Dap;
  pid: number;
  config: Record<string, unknown>;
}

/** Takes the parent's next startDebugging request as VS Code does: a new adapter, attached with that configuration. */
async function takeChild(parent: Dap, children: Dap[]): Promise<Child> {
  const request = await parent.next('request:startDebugging');
  const args = (request as unknown as DebugProtocol.StartDebuggingRequest).arguments;
  assert.equal(args.request, 'attach');
  const config = args.configuration;
  assert.equal(config['type'], 'greenlet');
  const pid = Number(/^pid (\d+) \(forked from (\d+)\)$/.exec(String(config['name']))?.[1]);
  assert.ok(pid > 0, `child session name ${String(config['name'])}`);
  const dap = new Dap();
  children.push(dap);
  await dap.start();
  parent.respond(request, true);
  await dap.begin('attach', config, { breakpoints: BREAKPOINTS });
  return { dap, pid, config };
}

async function withChildren(body: (children: Dap[]) => Promise<void>): Promise<void> {
  const children: Dap[] = [];
  try {
    await body(children);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    for (const [i, c] of children.entries()) e.message += `\n=== child session ${i + 1} ===${c.dump()}`;
    throw e;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

dapTest('each forked worker is a child session: breakpoints set before it started stop in it, with its own greenlets; it runs to its end', async (parent) => {
  await withChildren(async (children) => {
    const trace = tmpFile('workers.glt');
    // blockedLoopMs 0: a loaded machine must not turn a worker's slow step into a stop this test does not expect.
    await parent.begin('launch', { program: PROGRAM, python: PYTHON, trace, blockedLoopMs: 0 }, { breakpoints: BREAKPOINTS, startsSessions: true });
    const seen = await Promise.all([0, 1].map(async () => {
      const child = await takeChild(parent, children);
      const stop = await child.dap.nextStop();
      assert.equal(stop.body.reason, 'breakpoint');
      const threads = (await child.dap.client.threadsRequest()).body.threads;
      const handler = threads.find((t) => t.id === stop.body.threadId);
      assert.match(handler?.name ?? '', /handle/);
      const top = (await frames(child.dap, stop.body.threadId!))[0]!;
      assert.equal(top.line, HANDLE);
      assert.equal(top.source?.path, PROGRAM);
      await child.dap.client.continueRequest({ threadId: stop.body.threadId! });
      // The worker's own process goes on: its output names it.
      await stdoutMatch(parent, new RegExp(`^worker ${child.pid} handled [02]$`, 'm'));
      await child.dap.next('terminated');
      return child.pid;
    }));
    await stdoutMatch(parent, /^parent done$/m);
    await parent.next('terminated');
    // The parent never stopped at the workers' line.
    assert.ok(!parent.all.some((e) => e.event === 'stopped'));
    assert.equal(new Set(seen).size, 2);
    // Each worker's trace, next to the parent's.
    for (const pid of seen) assert.ok(fs.existsSync(path.join(`${trace}.d`, `${pid}.glt`)), `no trace of worker ${pid}`);
  });
}, 90_000);

dapTest('Stop on the parent ends every worker, stopped at a breakpoint or not, and their sessions end', async (parent) => {
  await withChildren(async (children) => {
    await parent.begin('launch', { program: PROGRAM, python: PYTHON, blockedLoopMs: 0 }, { breakpoints: BREAKPOINTS, startsSessions: true });
    const first = await takeChild(parent, children);
    await first.dap.nextStop();
    assert.ok(alive(first.pid));
    const pids = [first.pid];
    // The second worker waits for its session (not taken): it has forked all the same.
    const request = await parent.next('request:startDebugging');
    pids.push(Number(/^pid (\d+)/.exec(String((request as unknown as DebugProtocol.StartDebuggingRequest).arguments.configuration['name']))![1]));
    await parent.client.disconnectRequest({ terminateDebuggee: true });
    await first.dap.next('terminated');
    await allGone(pids);
  });
}, 90_000);

dapTest('"subProcess": false: workers run undebugged and never stop; no child session is asked for', async (parent) => {
  await parent.begin('launch', { program: PROGRAM, python: PYTHON, subProcess: false, blockedLoopMs: 0 }, { breakpoints: BREAKPOINTS, startsSessions: true });
  await stdoutMatch(parent, /^parent done$/m);
  await parent.next('terminated');
  assert.match(parent.output('stdout'), /^worker \d+ handled 0$/m);
  assert.match(parent.output('stdout'), /^worker \d+ handled 2$/m);
  assert.ok(!parent.all.some((e) => e.event === 'request:startDebugging' || e.event === 'stopped'));
}, 60_000);

dapTest('a client that cannot start sessions: workers run undebugged, as before', async (parent) => {
  await parent.begin('launch', { program: PROGRAM, python: PYTHON, blockedLoopMs: 0 }, { breakpoints: BREAKPOINTS });
  await stdoutMatch(parent, /^parent done$/m);
  await parent.next('terminated');
  assert.ok(!parent.all.some((e) => e.event === 'request:startDebugging' || e.event === 'stopped'));
}, 60_000);

dapTest('a child session the client refuses: that worker runs on undebugged', async (parent) => {
  await parent.begin('launch', { program: PROGRAM, python: PYTHON, blockedLoopMs: 0 }, { breakpoints: BREAKPOINTS, startsSessions: true });
  for (let i = 0; i < 2; i++) parent.respond(await parent.next('request:startDebugging'), false, 'not now');
  await stdoutMatch(parent, /^parent done$/m);
  await parent.next('terminated');
  assert.match(parent.output('stdout'), /^worker \d+ handled 2$/m);
  assert.match(parent.output('console'), /is not debugged: not now/);
}, 60_000);

const FLASK_APP = path.join(PROGRAMS, 'flask_app.py');
const HELLO = lineOf(FLASK_APP, '# HELLO');
const { missing: NO_GUNICORN, env: SERVER_ENV } = serverStack(PYTHON);

dapTest('gunicorn -k gevent -w 2: a breakpoint in a Flask view stops in the worker that serves the request, showing that worker\'s greenlets; Stop leaves no process', async (parent) => {
  await withChildren(async (children) => {
    const breakpoints = [{ path: FLASK_APP, lines: [HELLO] }];
    await parent.begin('launch', {
      module: 'gunicorn', args: ['-k', 'gevent', '-w', '2', '-b', '127.0.0.1:0', '--chdir', PROGRAMS, 'flask_app:app'],
      cwd: PROGRAMS, python: PYTHON, blockedLoopMs: 0, env: SERVER_ENV,
    }, { breakpoints, startsSessions: true });
    const workers = new Map<number, Dap>();
    for (let i = 0; i < 2; i++) {
      const request = await parent.next('request:startDebugging');
      const config = (request as unknown as DebugProtocol.StartDebuggingRequest).arguments.configuration;
      const dap = new Dap();
      children.push(dap);
      await dap.start();
      parent.respond(request, true);
      await dap.begin('attach', config, { breakpoints });
      workers.set(Number(/^pid (\d+)/.exec(String(config['name']))![1]), dap);
    }
    const port = Number((await stderrMatch(parent, /Listening at: http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    // Two requests: the first in a worker also pays for what Flask and gunicorn do once (imports, routing tables).
    for (const which of ['first', 'second']) {
      const sent = Date.now();
      const response = httpGet(port, '/hello');
      // Whichever worker accepts the request stops in the view.
      const [pid, stop] = await firstStop(workers);
      const stoppedAfterMs = Date.now() - sent;
      assert.equal(stop.body.reason, 'breakpoint');
      const dap = workers.get(pid)!;
      const threads = (await dap.client.threadsRequest()).body.threads;
      // That worker's greenlets: its main, its hub and the request's greenlet stopped in the view.
      assert.ok(threads.some((t) => /Hub\.run/.test(t.name)), JSON.stringify(threads));
      const top = (await frames(dap, stop.body.threadId!))[0]!;
      assert.equal(top.source?.path, FLASK_APP);
      assert.equal(top.line, HELLO);
      await dap.client.continueRequest({ threadId: stop.body.threadId! });
      assert.equal((await response).trim(), `served by ${pid}`);
      process.stdout.write(`# the ${which} request: a breakpoint in gunicorn worker ${pid} stopped ${stoppedAfterMs} ms after it was sent\n`);
    }
    await parent.client.disconnectRequest({ terminateDebuggee: true });
    await Promise.all([...workers.values()].map((w) => w.next('terminated')));
    await allGone([...workers.keys()]);
  });
}, 120_000, NO_GUNICORN ?? false);

/** A line of the program's stderr (gunicorn logs there) matching `pattern`. */
async function stderrMatch(dap: Dap, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = pattern.exec(dap.output('stderr'));
    if (m !== null) return m;
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} on the program's stderr`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first worker session to stop, and its stop (polled: no waiter is left behind on the others). */
async function firstStop(workers: Map<number, Dap>): Promise<[number, DebugProtocol.StoppedEvent]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const [pid, w] of workers) {
      const stop = await w.nextOf(['stopped'], 0).catch(() => null);
      if (stop !== null) return [pid, stop as DebugProtocol.StoppedEvent];
    }
    if (Date.now() > deadline) throw new Error('no worker stopped within 20 s of the request');
    await new Promise((r) => setTimeout(r, 5));
  }
}
