import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BoardBoot } from '../../shared/protocol/board-messages';
import { boardCsp, embedJson, makeNonce, renderBoardHtml, type BoardHtmlOptions } from '../../webview/html';

const NONCE = 'abcdefghijklmnopqrstuvwxyz012345';

function page(overrides: Partial<BoardHtmlOptions> = {}): string {
  return renderBoardHtml({
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/board.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/board.css',
    nonce: NONCE,
    cspSource: 'https://*.vscode-cdn.net',
    boot: { source: 'host', mode: 'live', title: 'run.glt' },
    title: 'Greenlet Lens',
    ...overrides,
  });
}

/** The policy in the page's meta tag, attribute-unescaped. */
function metaCsp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page declares a CSP in a meta tag');
  return m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function bootJson(html: string): unknown {
  const m = /<script type="application\/json" id="board-boot" nonce="[^"]+">([^]*?)<\/script>/.exec(html);
  assert.ok(m, 'the boot JSON is embedded');
  return JSON.parse(m[1]!);
}

test('the CSP is exactly the one docs/board.md gives, with the nonce and the host source', () => {
  const html = page();
  assert.equal(
    metaCsp(html),
    `default-src 'none'; script-src 'nonce-${NONCE}'; style-src https://*.vscode-cdn.net 'nonce-${NONCE}'; ` +
      `img-src https://*.vscode-cdn.net data:; font-src https://*.vscode-cdn.net; connect-src https://*.vscode-cdn.net`,
  );
  assert.equal(metaCsp(page({ cspSource: "'self'" })), boardCsp(NONCE, "'self'"));
});

test('every script carries the nonce; there are no inline handlers or inline scripts besides the boot JSON', () => {
  const html = page();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 2);
  for (const s of scripts) assert.match(s, new RegExp(`nonce="${NONCE}"`));
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no on* attributes');
  assert.match(html, /<script src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/board\.js" nonce=/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource[^"]*board\.css">/);
  assert.doesNotMatch(html, /id="board-theme"/, 'no theme file inside VS Code');
  assert.match(page({ themeUri: '/theme-light.css' }), /<link rel="stylesheet" id="board-theme" href="\/theme-light\.css">/);
});

test('the boot JSON cannot close its script element and reads back unchanged', () => {
  const boot: BoardBoot = { source: 'fetch', url: '/trace?x=1&y=2', title: '</script><script>alert(1)</script> <!-- \u2028 & "q"' };
  const html = page({ boot });
  const inside = /id="board-boot"[^>]*>([^]*?)<\/script>/.exec(html)![1]!;
  assert.doesNotMatch(inside, /[<>&\u2028\u2029]/, 'no raw < > & or line separators inside the script');
  assert.deepEqual(bootJson(html), boot);
  assert.equal(embedJson('<'), '"\\u003c"');
});

test('the title is text, and URIs cannot break out of their attributes', () => {
  const html = page({ title: '<img src=x onerror=alert(1)> & co', scriptUri: '/board.js?a="><script>', styleUri: "/b.css'x" });
  assert.match(html, /<title>&lt;img src=x onerror=alert\(1\)&gt; &amp; co<\/title>/);
  assert.match(html, /<script src="\/board\.js\?a=&quot;&gt;&lt;script&gt;" nonce=/);
  assert.doesNotMatch(html, /<img/);
});

test('bad nonces and CSP sources are refused rather than written into the policy', () => {
  assert.throws(() => page({ nonce: 'short' }), /nonce/);
  assert.throws(() => page({ nonce: `${NONCE}" onload="x` }), /nonce/);
  assert.throws(() => page({ cspSource: "'self'; script-src *" }), /cspSource/);
  assert.throws(() => page({ cspSource: '"x"' }), /cspSource/);
});

test('makeNonce: 32 alphanumerics, different every time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const n = makeNonce();
    assert.match(n, /^[A-Za-z0-9]{32}$/);
    seen.add(n);
  }
  assert.equal(seen.size, 200);
  assert.doesNotThrow(() => page({ nonce: makeNonce() }));
});
