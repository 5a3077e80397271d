import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, PYTHON, ROOT, dapTest, frames, lineOf, stdoutMatch, type Dap } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_evaluate.py');
const BREAK = lineOf(PROGRAM, '# BREAK');

async function stopInConsumer(dap: Dap): Promise<{ g: number; top: DebugProtocol.StackFrame }> {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, blockedLoopMs: 0 }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'breakpoint');
  const g = stop.body.threadId!;
  const top = (await frames(dap, g))[0]!;
  assert.equal(top.line, BREAK);
  return { g, top };
}

async function evaluate(dap: Dap, expression: string, frameId: number, context = 'repl'): Promise<DebugProtocol.EvaluateResponse> {
  return (await dap.request('evaluate', { expression, frameId, context })) as DebugProtocol.EvaluateResponse;
}

async function value(dap: Dap, expression: string, frameId: number, context = 'repl'): Promise<string> {
  const r = await evaluate(dap, expression, frameId, context);
  assert.equal(r.success, true, `${expression}: ${r.message}`);
  return r.body.result;
}

/** Runs to the end without breakpoints; the program's stdout. */
async function finish(dap: Dap, g: number): Promise<string> {
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  await dap.client.continueRequest({ threadId: g });
  await dap.next('terminated');
  await stdoutMatch(dap, /^results /m);
  return dap.output('stdout');
}

dapTest('the Debug Console evaluates in the stopped frame: names, arithmetic, calls, the greenlet it runs in', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  const init = (dap.transcript.find((l) => l.includes('"command":"initialize"') && l.startsWith('←')) ?? '');
  for (const cap of ['supportsEvaluateForHovers', 'supportsCompletionsRequest', 'supportsSetVariable', 'supportsSetExpression', 'supportsClipboardContext']) {
    assert.match(init, new RegExp(`"${cap}":true`), cap);
  }
  assert.equal(await value(dap, 'item', top.id), '10');
  assert.equal(await value(dap, 'total + 1', top.id), '11');
  assert.equal(await value(dap, 'len(results)', top.id), '0');
  assert.equal(await value(dap, "name.upper()", top.id), "'ANN'");
  // gevent.getcurrent() is the greenlet whose frame is evaluated, not the debugger's thread.
  assert.equal(await value(dap, 'gevent.getcurrent() is crew[0]', top.id), 'True');
  // A statement in the console runs; its effect is seen by the next expression.
  assert.equal(await value(dap, 'scratch = [item] * 3', top.id), '');
  assert.equal(await value(dap, 'scratch', top.id), '[10, 10, 10]');
  // The watch, too; a statement is not an expression there.
  assert.equal(await value(dap, 'total * 2', top.id, 'watch'), '20');
  assert.equal((await evaluate(dap, 'x = 1', top.id, 'watch')).success, false);
  await finish(dap, g);
});

dapTest('an expression that raises answers its exception; one that would wait answers at once, and nothing runs', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  const zero = await evaluate(dap, '1 / 0', top.id);
  assert.equal(zero.success, false);
  assert.equal(zero.message, 'ZeroDivisionError: division by zero');
  const missing = await evaluate(dap, 'nothing_here', top.id);
  assert.match(missing.message ?? '', /^NameError: name 'nothing_here' is not defined/);

  const idleBefore = await idleFrame(dap);
  for (const blocking of ['gevent.queue.Queue().get()', 'gevent.sleep(1)', 'gevent.sleep(0)', 'gevent.event.Event().wait()', 'crew[1].join()']) {
    const started = Date.now();
    const r = await evaluate(dap, blocking, top.id);
    assert.equal(r.success, false, blocking);
    assert.match(r.message ?? '', /would wait for another greenlet or the event loop/, blocking);
    assert.ok(Date.now() - started < 3000, `${blocking} answered in ${Date.now() - started} ms`);
  }
  // A loop that never ends is stopped after the time limit, with the program still stopped.
  const loop = await evaluate(dap, 'exec("n = 0\\nwhile True:\\n    n += 1")', top.id);
  assert.match(loop.message ?? '', /^still running after 5 s: stopped/);
  // Still stopped where it was: no greenlet ran, the program said nothing and did not continue.
  assert.equal(dap.all.filter((e) => e.event === 'continued').length, 0);
  assert.equal(await value(dap, 'len(results)', top.id), '0');
  assert.deepEqual(await idleFrame(dap), idleBefore);
  assert.doesNotMatch(dap.output('stdout'), /consumer/);
  // The session goes on: the program still runs to its end.
  assert.match(await finish(dap, g), /consumer ann total 2\d/);
});

async function idleFrame(dap: Dap): Promise<{ g: number; frame: DebugProtocol.StackFrame }> {
  const threads = (await dap.client.threadsRequest()).body.threads;
  const idle = threads.find((t) => / idle · /.test(t.name));
  assert.ok(idle !== undefined, threads.map((t) => t.name).join('\n'));
  const frame = (await frames(dap, idle.id)).find((f) => f.name === 'idle');
  assert.ok(frame !== undefined);
  return { g: idle.id, frame: { ...frame, id: 0 } };
}

dapTest('evaluates in a frame of another greenlet, one that did not stop', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  const { g: idleG } = await idleFrame(dap);
  assert.notEqual(idleG, g);
  const idleTop = (await frames(dap, idleG)).find((f) => f.name === 'idle')!;
  assert.equal(await value(dap, 'marker', idleTop.id), "'in idle'");
  assert.equal(await value(dap, 'gevent.getcurrent() is sleeper', idleTop.id), 'True');
  // Its locals are not the consumer's.
  assert.match((await evaluate(dap, 'item', idleTop.id)).message ?? '', /NameError/);
  assert.equal(await value(dap, 'item', top.id), '10');
  await finish(dap, g);
});

dapTest('results expand: an object to its attributes, a long list a page at a time', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  const box = await evaluate(dap, 'box', top.id);
  assert.ok(box.body.variablesReference > 0);
  const attrs = (await dap.client.variablesRequest({ variablesReference: box.body.variablesReference })).body.variables;
  assert.deepEqual(attrs.map((v) => [v.name, v.value]), [['count', '1']]);

  const big = await evaluate(dap, 'big', top.id);
  assert.equal(big.body.indexedVariables, 250);
  const named = (await dap.client.variablesRequest({ variablesReference: big.body.variablesReference, filter: 'named' })).body.variables;
  assert.deepEqual(named, []);
  const page = (await dap.client.variablesRequest({ variablesReference: big.body.variablesReference, filter: 'indexed', start: 200, count: 50 })).body.variables;
  assert.equal(page.length, 50);
  assert.deepEqual([page[0]!.name, page[0]!.value, page.at(-1)!.name, page.at(-1)!.value], ['[200]', '200', '[249]', '249']);
  await finish(dap, g);
});

dapTest('set value: a local, a global and an attribute; the program sees the new values when it goes on', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  const scopes = (await dap.client.scopesRequest({ frameId: top.id })).body.scopes;
  const locals = scopes.find((s) => s.name === 'Locals')!.variablesReference;
  const globals = scopes.find((s) => s.name === 'Globals')!.variablesReference;
  const set = (await dap.request('setVariable', { variablesReference: locals, name: 'total', value: '90 + 10' })) as DebugProtocol.SetVariableResponse;
  assert.equal(set.success, true, set.message);
  assert.equal(set.body.value, '100');
  assert.equal(await value(dap, 'total', top.id), '100');
  const localsNow = (await dap.client.variablesRequest({ variablesReference: locals })).body.variables;
  assert.equal(localsNow.find((v) => v.name === 'total')?.value, '100');

  assert.equal(((await dap.request('setVariable', { variablesReference: globals, name: 'LIMIT', value: '7' })) as DebugProtocol.SetVariableResponse).body.value, '7');
  const boxRef = (await evaluate(dap, 'box', top.id)).body.variablesReference;
  assert.equal(((await dap.request('setVariable', { variablesReference: boxRef, name: 'count', value: 'LIMIT * 2' })) as DebugProtocol.SetVariableResponse).body.value, '14');
  const expr = (await dap.request('setExpression', { expression: 'results', value: "[('set', 0)]", frameId: top.id })) as DebugProtocol.SetExpressionResponse;
  assert.equal(expr.success, true, expr.message);
  assert.equal(expr.body.value, "[('set', 0)]");
  const bad = await dap.request('setVariable', { variablesReference: locals, name: 'total', value: '1 / 0' });
  assert.equal(bad.success, false);
  assert.equal(bad.message, 'ZeroDivisionError: division by zero');

  const out = await finish(dap, g);
  const ann = /consumer ann total (\d+) box (\d+) limit (\d+)/.exec(out);
  assert.ok(ann !== null, out);
  assert.ok(Number(ann[1]) > 100, `ann's total went on from 100: ${ann[0]}`);
  assert.deepEqual([ann[2], ann[3]], ['14', '7']);
  assert.match(out, /results \[\('set', 0\), \('ann', 1\d\)/);
});

dapTest('hover reads names and attribute chains only; completions list names and attributes', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  assert.equal(await value(dap, 'box.count', top.id, 'hover'), '1');
  assert.equal(await value(dap, 'item', top.id, 'hover'), '10');
  assert.equal((await evaluate(dap, 'item + 1', top.id, 'hover')).success, false);
  assert.equal((await evaluate(dap, 'results.append(1)', top.id, 'hover')).success, false);
  assert.equal(await value(dap, 'len(results)', top.id), '0');

  const complete = async (text: string): Promise<DebugProtocol.CompletionItem[]> => {
    const r = (await dap.request('completions', { frameId: top.id, text, column: text.length + 1 })) as DebugProtocol.CompletionsResponse;
    assert.equal(r.success, true, r.message);
    return r.body.targets;
  };
  assert.deepEqual((await complete('ta')).map((t) => [t.label, t.start, t.length]), [['tasks', 1, 2]]);
  assert.ok((await complete('to')).some((t) => t.label === 'total'));
  assert.ok((await complete('x = le')).some((t) => t.label === 'len'));
  const attrs = await complete('box.co');
  assert.deepEqual(attrs.map((t) => t.label), ['count']);
  assert.equal(attrs[0]!.length, 2);
  assert.ok((await complete('tasks.')).some((t) => t.label === 'qsize'));
  await finish(dap, g);
});

dapTest('Globals list the program\'s names first and its dunders in one "special variables" group, whose names can be set too', async (dap) => {
  const { g, top } = await stopInConsumer(dap);
  const scopes = (await dap.client.scopesRequest({ frameId: top.id })).body.scopes;
  const globals = (await dap.client.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Globals')!.variablesReference })).body.variables;
  const names = globals.map((v) => v.name);
  assert.ok(names.includes('LIMIT'), names.join(', '));
  assert.deepEqual(names.filter((n) => /^__\w+__$/.test(n)), [], 'no dunder among the program\'s names');
  const group = globals.at(-1)!;
  assert.equal(group.name, 'special variables');
  const special = (await dap.client.variablesRequest({ variablesReference: group.variablesReference })).body.variables;
  assert.equal(special.find((v) => v.name === '__name__')?.value, "'__main__'");
  assert.ok(special.some((v) => v.name === '__builtins__'), special.map((v) => v.name).join(', '));
  assert.ok(special.every((v) => /^__\w+__$/.test(v.name)), special.map((v) => v.name).join(', '));
  const set = (await dap.request('setVariable', { variablesReference: group.variablesReference, name: '__doc__', value: "'set from the group'" })) as DebugProtocol.SetVariableResponse;
  assert.equal(set.success, true, set.message);
  assert.equal(await value(dap, '__doc__', top.id), "'set from the group'");
  await finish(dap, g);
});
