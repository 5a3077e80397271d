// What the extension does with each message the board posts
// (extension/board-routing.ts): validated, then one action.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THREAD, routeBoardMessage, type RoutingContext } from '../../extension/board-routing';
import { ExtensionErrorCode } from '../../extension/errors';

const LIVE: RoutingContext = { sessionLive: true, stopThread: 4, cwd: '/work/app' };

test('ready', () => {
  assert.deepEqual(routeBoardMessage({ type: 'ready' }, LIVE), { kind: 'ready' });
});

test('consumed: the bytes the board used, a count; anything else is refused', () => {
  assert.deepEqual(routeBoardMessage({ type: 'consumed', bytes: 4096 }, LIVE), { kind: 'consumed', bytes: 4096 });
  for (const bytes of [-1, 1.5, '4096', null, Number.NaN]) assert.equal(routeBoardMessage({ type: 'consumed', bytes }, LIVE).kind, 'invalid');
});

test('controls become requests with the thread of the last stop, or the main greenlet before any stop', () => {
  for (const command of ['continue', 'pause', 'stepSwitch'] as const) {
    assert.deepEqual(routeBoardMessage({ type: 'command', command }, LIVE), { kind: 'request', command, args: { threadId: 4 } });
  }
  assert.deepEqual(routeBoardMessage({ type: 'command', command: 'pause' }, { ...LIVE, stopThread: null }),
    { kind: 'request', command: 'pause', args: { threadId: DEFAULT_THREAD } });
});

test('controls without a live session are an error to show; unknown commands are refused', () => {
  const a = routeBoardMessage({ type: 'command', command: 'continue' }, { ...LIVE, sessionLive: false });
  assert.equal(a.kind, 'error');
  assert.equal(a.kind === 'error' && a.error.code, ExtensionErrorCode.NoGreenletSession);
  for (const command of ['terminate', 'evaluate', undefined, 3]) {
    assert.equal(routeBoardMessage({ type: 'command', command }, LIVE).kind, 'invalid', String(command));
  }
});

test('revealGreenlet opens absolute files as they are and relative ones from the cwd, 0-based line', () => {
  assert.deepEqual(routeBoardMessage({ type: 'revealGreenlet', g: 3, file: '/src/app.py', line: 12 }, LIVE), { kind: 'reveal', file: '/src/app.py', line: 11 });
  assert.deepEqual(routeBoardMessage({ type: 'revealGreenlet', g: 3, file: 'pkg/mod.py', line: 1 }, LIVE), { kind: 'reveal', file: '/work/app/pkg/mod.py', line: 0 });
  assert.equal(routeBoardMessage({ type: 'revealGreenlet', g: 3, file: 'pkg/mod.py', line: 1 }, { ...LIVE, cwd: undefined }).kind, 'none');
});

test('revealGreenlet without a line, or in generated code, does nothing; malformed ones are refused', () => {
  assert.equal(routeBoardMessage({ type: 'revealGreenlet', g: 3, file: null, line: null }, LIVE).kind, 'none');
  assert.equal(routeBoardMessage({ type: 'revealGreenlet', g: 3, file: '<string>', line: 1 }, LIVE).kind, 'none');
  for (const bad of [
    { type: 'revealGreenlet', g: '3', file: '/a.py', line: 1 },
    { type: 'revealGreenlet', g: 3, file: 7, line: 1 },
    { type: 'revealGreenlet', g: 3, file: '/a.py', line: 0 },
    { type: 'revealGreenlet', g: 3, file: '/a.py', line: 1.5 },
    { type: 'revealGreenlet', g: 3, file: '/a.py', line: '1' },
  ]) assert.equal(routeBoardMessage(bad, LIVE).kind, 'invalid', JSON.stringify(bad));
});

test('a board error is shown, bounded; anything that is not a board message is refused', () => {
  const a = routeBoardMessage({ type: 'error', message: 'x'.repeat(2000) }, LIVE);
  assert.equal(a.kind === 'error' && a.error.code, ExtensionErrorCode.BoardFailed);
  assert.ok(a.kind === 'error' && a.error.message.length < 600);
  for (const bad of [null, undefined, 'ready', { type: 'events' }, { type: 'stopped' }, [], { kind: 'ready' }]) {
    assert.equal(routeBoardMessage(bad, LIVE).kind, 'invalid', JSON.stringify(bad));
  }
});
