// `greenlet-lens view`: the built CLI serving the board page, its bundle and
// a real recorded trace on 127.0.0.1, and nothing else.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import { after, before, test } from 'node:test';
import { NODE_ONLY } from '../support/stacks';
import { cli, CLI, describe, EXAMPLES, QUICK, record, ROOT, tmp, tmpFile } from './support';

interface Server { child: ChildProcess; url: URL; output: () => string }
const servers: ChildProcess[] = [];
after(() => { for (const c of servers) if (c.exitCode === null) c.kill('SIGKILL'); });

/** Starts `node dist/cli.js view ...` and waits for its "serving" line. */
function view(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'view', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let out = '';
  const output = (): string => out;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`view did not start:\n${out}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /greenlet-lens: serving .* at (http:\/\/\S+)\n/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, url: new URL(m[1]!), output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`view exited with ${code}:\n${out}`)); });
  });
}

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }
/** The server's secret path prefix, "/TOKEN", from the URL it printed. */
function prefixOf(url: URL): string {
  return url.pathname.replace(/\/$/, '');
}

/** A raw GET under the server's token: the path is sent exactly as given (fetch would normalise "/../x"). */
function get(url: URL, rawPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return getRaw(url, prefixOf(url) + rawPath, headers);
}

/** A raw GET of exactly this request target, token or not. */
function getRaw(url: URL, target: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

let trace: string;
let server: Server;
before(async () => {
  const rec = record(`${EXAMPLES}/events.py`, [], QUICK);
  assert.equal(rec.status, 0, describe(rec));
  trace = rec.trace;
  server = await view([trace]);
});

test('prints the URL on 127.0.0.1 and listens on the loopback interface only', { skip: NODE_ONLY }, async () => {
  assert.equal(server.url.hostname, '127.0.0.1');
  assert.match(server.output(), new RegExp(`^greenlet-lens: serving ${trace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at http://127\\.0\\.0\\.1:\\d+/[A-Za-z0-9_-]{32}/\\n$`));
  const port = Number(server.url.port);
  assert.ok(port > 0);
  const others = Object.values(os.networkInterfaces()).flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && !a.internal).map((a) => a.address);
  for (const host of [...others, '::1']) {
    const err = await new Promise<string>((resolve) => {
      const s = net.connect({ host, port }, () => { s.destroy(); resolve('connected'); });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.notEqual(err, 'connected', `reachable on ${host}`);
  }
});

test('/ is the board page: CSP header and meta with a fresh nonce per response, boot fetching /trace', { skip: NODE_ONLY }, async () => {
  const a = await get(server.url, '/');
  const b = await get(server.url, '/');
  assert.equal(a.status, 200);
  assert.match(String(a.headers['content-type']), /^text\/html/);
  const html = a.body.toString('utf8');
  const csp = String(a.headers['content-security-policy']);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce !== undefined, csp);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce!.replace(/[+/=]/g, '\\$&')}'`));
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
  assert.ok(meta !== undefined, 'a CSP meta tag');
  assert.ok(csp.startsWith(meta!), `header ${csp}\nmeta ${meta}`);
  const script = /<script[^>]*\bsrc="\/[A-Za-z0-9_-]+\/board\.js"[^>]*>/.exec(html)?.[0] ?? '';
  assert.ok(script.includes(`nonce="${nonce}"`), `the bundle's script carries the nonce: ${script}`);
  assert.notEqual(/'nonce-([^']+)'/.exec(String(b.headers['content-security-policy']))?.[1], nonce, 'a new nonce per response');
  const boot = /<script type="application\/json" id="board-boot"[^>]*>([^<]*)<\/script>/.exec(html)?.[1];
  const prefix = prefixOf(server.url);
  assert.deepEqual(JSON.parse(boot!), { source: 'fetch', url: `${prefix}/trace`, title: trace.split('/').pop() });
  assert.ok(html.includes(`href="${prefix}/theme-dark.css"`));
  assert.ok(html.includes(`src="${prefix}/board.js"`));
  assert.ok((await get(server.url, '/?theme=light')).body.toString().includes(`href="${prefix}/theme-light.css"`));
});

test('/trace is the file\'s bytes, read again per request; the bundle files are served with their types', { skip: NODE_ONLY }, async () => {
  const t = await get(server.url, '/trace');
  assert.equal(t.status, 200);
  assert.equal(t.headers['content-type'], 'application/octet-stream');
  assert.ok(t.body.equals(fs.readFileSync(trace)));
  for (const [p, type] of [['/board.js', /javascript/], ['/board.css', /text\/css/], ['/theme-dark.css', /text\/css/], ['/theme-light.css', /text\/css/]] as const) {
    const r = await get(server.url, p);
    assert.equal(r.status, 200, p);
    assert.match(String(r.headers['content-type']), type, p);
    assert.ok(r.body.equals(fs.readFileSync(`${ROOT}/dist/webview${p}`)), p);
  }
  // A growing file: the next request sees more.
  const growing = tmpFile('growing.glt');
  fs.writeFileSync(growing, 'abc');
  const g = await view([growing]);
  assert.equal((await get(g.url, '/trace')).body.toString(), 'abc');
  fs.appendFileSync(growing, 'def');
  assert.equal((await get(g.url, '/trace')).body.toString(), 'abcdef');
  g.child.kill('SIGTERM');
});

test('every other path is 404, traversal included; other hosts and methods are refused', { skip: NODE_ONLY }, async () => {
  for (const p of ['/../package.json', '/package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '//etc/passwd', '/dist/cli.js',
    '/trace/../package.json', '/board.js/../../package.json', '/webview/board.js', '/index.html/..', '/theme-blue.css', '/BOARD.JS']) {
    const r = await get(server.url, p);
    assert.equal(r.status, 404, `${p}: ${r.status} ${r.body.toString().slice(0, 80)}`);
    assert.ok(!r.body.toString().includes('"name": "greenlet-lens"'), p);
  }
  assert.equal((await get(server.url, '/', { Host: 'evil.example:80' })).status, 403, 'DNS rebinding: a foreign Host');
  const post = await new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.url.port, path: `${prefixOf(server.url)}/trace`, method: 'POST', agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end('x');
  });
  assert.equal(post, 405);
});

test('--theme light sends / to /?theme=light; SIGTERM stops the server with status 0', { skip: NODE_ONLY }, async () => {
  const s = await view([trace, '--theme', 'light']);
  assert.match(s.url.search, /theme=light/);
  const r = await get(s.url, '/');
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, `${prefixOf(s.url)}/?theme=light`);
  const code = await new Promise<number | null>((resolve) => { s.child.on('exit', (c) => resolve(c)); s.child.kill('SIGTERM'); });
  assert.equal(code, 0);
});

test('a missing or unreadable file, a directory and bad options are refused before serving', { skip: NODE_ONLY }, () => {
  const missing = cli(['view', `${tmp}/nope.glt`]);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, `greenlet-lens: error: no such file: ${tmp}/nope.glt\n`);
  assert.equal(missing.stdout, '');
  const dir = cli(['view', tmp]);
  assert.equal(dir.status, 1);
  assert.match(dir.stderr, /^greenlet-lens: error: .* is a directory, not a trace file\n$/);
  if (process.getuid?.() !== 0) {
    const locked = tmpFile('locked.glt');
    fs.writeFileSync(locked, 'x', { mode: 0o000 });
    assert.equal(cli(['view', locked]).status, 1);
  }
  for (const args of [['view'], ['view', trace, '--port', 'http'], ['view', trace, '--port', '70000'], ['view', trace, '--theme', 'blue'], ['view', trace, '--bogus']]) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^greenlet-lens: error: /);
  }
  assert.match(cli(['--help']).stdout, /view FILE \[--port N\] \[--theme dark\|light\] \[--open\]/);
});

test('only who knows the token printed at start gets anything: the page, the bundle and the trace are 404 without it', { skip: NODE_ONLY }, async () => {
  assert.match(server.url.pathname, /^\/[A-Za-z0-9_-]{32}\/$/, 'a 24-byte random token in the URL');
  for (const p of ['/', '/trace', '/board.js', '/favicon.ico', '/x/trace', `/${'A'.repeat(32)}/trace`]) {
    const r = await getRaw(server.url, p);
    assert.equal(r.status, 404, p);
  }
  assert.equal((await get(server.url, '/trace')).status, 200);
});

test('a malformed request target gets 400, not 500', { skip: NODE_ONLY }, async () => {
  for (const target of ['http://[::1', '*', 'x/../trace']) {
    const r = await getRaw(server.url, target);
    assert.equal(r.status, 400, `${target}: ${r.status} ${r.body.toString()}`);
  }
});
