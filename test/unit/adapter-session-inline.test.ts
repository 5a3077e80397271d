import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterErrorId } from '../../debug-adapter/errors';
import { inlineSession as inline } from '../support/inline-session';

test('inline: capabilities, named launch errors, requests before launch, disconnect without exiting the host', async () => {
  const { session, request } = inline();
  const init = (await request('initialize', { adapterID: 'greenlet', linesStartAt1: true, pathFormat: 'path' })) as DebugProtocol.InitializeResponse;
  const caps = init.body!;
  assert.deepEqual(
    [caps.supportsConfigurationDoneRequest, caps.supportsConditionalBreakpoints, caps.supportsHitConditionalBreakpoints, caps.supportsTerminateRequest, caps.supportTerminateDebuggee, caps.supportsStepBack, caps.supportsSingleThreadExecutionRequests],
    [true, true, true, true, true, false, false],
  );
  assert.deepEqual(caps.exceptionBreakpointFilters?.map((f) => [f.filter, f.default]), [['greenletException', true], ['uncaught', true]]);

  const launch = await request('launch', { program: '/nonexistent/app.py' });
  assert.equal(launch.success, false);
  assert.equal((launch.body as { error: DebugProtocol.Message }).error.id, AdapterErrorId.ProgramNotFound);
  assert.match(launch.message ?? '', /"program" "\/nonexistent\/app\.py" does not exist/);

  const threads = await request('threads');
  assert.equal(threads.success, false);
  assert.equal((threads.body as { error: DebugProtocol.Message }).error.id, AdapterErrorId.NotConnected);
  const unknown = await request('frobnicate');
  assert.equal((unknown.body as { error: DebugProtocol.Message }).error.id, AdapterErrorId.UnknownRequest);
  // Not a custom request just because Object.prototype has it.
  const inherited = await request('toString');
  assert.equal((inherited.body as { error: DebugProtocol.Message }).error.id, AdapterErrorId.UnknownRequest);
  for (const threadId of [undefined, 'g3', 1.5, 0]) {
    const bad = await request('runToGreenlet', { threadId });
    assert.equal((bad.body as { error: DebugProtocol.Message }).error.id, AdapterErrorId.InvalidRequest, `threadId ${String(threadId)}`);
    assert.match(bad.message ?? '', /runToGreenlet needs "threadId", the id of a greenlet/);
  }
  const notYet = await request('stepSwitch');
  assert.equal((notYet.body as { error: DebugProtocol.Message }).error.id, AdapterErrorId.NotConnected);

  const bye = await request('disconnect', {});
  assert.equal(bye.success, true);
  session.dispose();
  // Still here: inline, shutdown must not call process.exit.
  await new Promise((r) => setTimeout(r, 200));
});
