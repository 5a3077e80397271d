// A Python with greenlet and without gevent: plain greenlet programs are
// debugged like gevent ones (breakpoints, a thread per greenlet, locals),
// and the debug console says which mode the session runs in.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { greenletOnlyPython } from '../support/stacks';
import { PROGRAMS, ROOT, dapTest, frames, lineOf, variablesOf } from './support';

const PROGRAM = path.join(PROGRAMS, 'plain_greenlets.py');
const NAME = 'a Python with greenlet and without gevent debugs a plain greenlet program, and says it runs without gevent';
const only = greenletOnlyPython();

if ('missing' in only) {
  test(NAME, { skip: only.missing }, () => undefined);
} else {
  dapTest(NAME, async (dap) => {
    const line = lineOf(PROGRAM, 'pong_g.switch(i)');
    await dap.begin('launch', { program: PROGRAM, python: only.python, cwd: ROOT }, { breakpoints: [{ path: PROGRAM, lines: [line] }] });
    const stop = await dap.nextStop();
    assert.equal(stop.body.reason, 'breakpoint');
    const g = stop.body.threadId!;
    const threads = (await dap.client.threadsRequest()).body.threads.map((t) => t.name);
    assert.ok(threads.some((n) => n.startsWith('g1 ')), threads.join('\n'));
    assert.ok(threads.some((n) => n === `g${g} ping · running`), threads.join('\n'));
    const top = (await frames(dap, g))[0]!;
    assert.deepEqual([top.name, top.line], ['ping', line]);
    const scopes = (await dap.client.scopesRequest({ frameId: top.id })).body.scopes;
    assert.equal((await variablesOf(dap, scopes[0]!.variablesReference))['i'], '0');
    assert.match(dap.output('console'), /Greenlet Lens: Python 3\.\d+\.\d+ · greenlet \S+ · no gevent \(plain greenlets only\)/);

    await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
    await dap.client.continueRequest({ threadId: g });
    assert.equal((await dap.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode, 0);
    assert.equal(dap.output('stdout'), 'seen [0, 1, 2] last ping done\ncaught boom in a plain greenlet\n');
  });
}
