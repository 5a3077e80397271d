/**
 * A program that fails before its first line runs (a syntax error) stops
 * with the error's file and line as its frame, and the traceback is in the
 * Debug Console at the stop, not only after Continue.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PYTHON, ROOT, dapTest, frames, tmpFile } from './support';

dapTest('a syntax error stops at its line, with the traceback in the Debug Console', async (dap) => {
  const program = tmpFile('broken.py');
  fs.writeFileSync(program, 'import gevent\n\ndef broken(:\n    pass\n');
  await dap.begin('launch', { program, python: PYTHON, cwd: ROOT, blockedLoopMs: 0 });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'exception');
  assert.match(stop.body.description ?? '', /SyntaxError/);
  const stack = await frames(dap, stop.body.threadId!);
  assert.equal(stack.length, 1);
  assert.deepEqual([stack[0]!.name, stack[0]!.source?.path, stack[0]!.line], ['SyntaxError', program, 3]);
  assert.deepEqual((await dap.client.scopesRequest({ frameId: stack[0]!.id })).body.scopes.map((s) => s.name), ['Greenlet']);
  // Said before the stop, so it is there while the user looks at it.
  const said = dap.output('stderr');
  assert.match(said, new RegExp(`File "${program.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}", line 3`));
  assert.match(said, /def broken\(:/);
  assert.match(said, /SyntaxError: /);
  await dap.client.continueRequest({ threadId: stop.body.threadId! });
  const exited = await dap.next<DebugProtocol.ExitedEvent>('exited');
  assert.equal(exited.body.exitCode, 1);
});
