// `greenlet-lens view`'s pure parts: the fixed route table, the Host check
// and the options (the server itself is tested in test/integration/view.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseViewArgs } from '../../cli/cmd-view';
import { UsageError } from '../../cli/usage';
import { allowedHost, processIndex, routeOf, themeOf } from '../../cli/view-server';

test('routes: the page, the trace, the bundle files, nothing else', () => {
  assert.deepEqual(routeOf('/'), { kind: 'page' });
  assert.deepEqual(routeOf('/trace'), { kind: 'trace' });
  assert.deepEqual(routeOf('/favicon.ico'), { kind: 'empty' });
  for (const f of ['board.js', 'board.css', 'theme-dark.css', 'theme-light.css', 'board.js.map']) {
    assert.equal(routeOf(`/${f}`)?.kind === 'asset' && (routeOf(`/${f}`) as { file: string }).file, f);
  }
  for (const p of ['/index.html', '/../package.json', '/trace/', '/board.js/', '//board.js', '/constructor', '/__proto__', '/toString', '/hasOwnProperty', '']) {
    assert.equal(routeOf(p), null, p);
  }
});

test('only 127.0.0.1 or localhost on our port may be the Host', () => {
  assert.equal(allowedHost('127.0.0.1:8080', 8080), true);
  assert.equal(allowedHost('localhost:8080', 8080), true);
  for (const h of [undefined, '127.0.0.1', '127.0.0.1:8081', 'evil.example:8080', '0.0.0.0:8080', '[::1]:8080']) assert.equal(allowedHost(h, 8080), false, String(h));
});

test('options: port 0 and dark by default; --theme and ?theme pick light', () => {
  assert.deepEqual(parseViewArgs(['t.glt']), { file: 't.glt', port: 0, theme: 'dark', open: false });
  assert.deepEqual(parseViewArgs(['--port=8123', '--theme', 'light', '--open', 't.glt']), { file: 't.glt', port: 8123, theme: 'light', open: true });
  for (const bad of [[], ['a', 'b'], ['t', '--port', '-1'], ['t', '--port', '65536'], ['t', '--theme', 'solarized'], ['t', '--open=yes']]) {
    assert.throws(() => parseViewArgs(bad), UsageError, JSON.stringify(bad));
  }
  assert.equal(themeOf(new URLSearchParams('theme=light'), 'dark'), 'light');
  assert.equal(themeOf(new URLSearchParams('theme=neon'), 'light'), 'light');
});

test('?process=N picks one process of a recording: absent is the program\'s, past the last or not a number is none', () => {
  assert.equal(processIndex(new URLSearchParams(''), 1), 0);
  assert.equal(processIndex(new URLSearchParams('process=2'), 3), 2);
  assert.equal(processIndex(new URLSearchParams('process=3'), 3), null);
  assert.equal(processIndex(new URLSearchParams('process=-1'), 3), null);
  assert.equal(processIndex(new URLSearchParams('process=1e0'), 3), null);
  assert.equal(processIndex(new URLSearchParams('process=all'), 3), 'all');
  assert.equal(processIndex(new URLSearchParams('process=all'), 1), null, 'a single trace has no side-by-side page');
});
