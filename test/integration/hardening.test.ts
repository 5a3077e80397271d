/**
 * Issue 12 against the real runtime: what `record` and `listen` do about
 * other local users (run as `nobody` with setpriv, skipped where that is
 * impossible), bad clients, files they must not touch, a full disk, a
 * program that closes descriptors or owns tracers, and memory.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { RuntimeChannel } from '../../debug-adapter/runtime/channel';
import { encodeFrame, KIND_JSON } from '../../debug-adapter/runtime/framing';
import { readTraceFile } from '../../shared/trace/read-file';
import { assertDaemonFilesIntact } from '../support/daemonish';
import { NODE_ONLY, RUNTIME_ONLY } from '../support/stacks';
import { TraceBuilder } from '../support/trace-builder';
import { CLI, PROGRAMS, PYTHON, ROOT, cli, describe, load, record, recordInBackground, tmp, tmpFile } from './support';

const RUNTIME = path.join(ROOT, 'runtime-instrumentation');
const prog = (name: string): string => path.join(PROGRAMS, name);
const NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];

/** Runs argv as user nobody; null (with the reason printed) where that is impossible. */
function asNobody(argv: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } | null {
  if (process.getuid?.() !== 0) {
    console.log('# skipped the cross-user part: the suite does not run as root, so it cannot act as another user');
    return null;
  }
  const r = spawnSync('setpriv', [...NOBODY, ...argv], { encoding: 'utf8', env, timeout: 30_000 });
  if (r.error !== undefined) {
    console.log(`# skipped the cross-user part: setpriv is not available (${r.error.message})`);
    return null;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder like /tmp (sticky, world-writable) for one test's TMPDIR. */
function sharedTmp(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'shared-'));
  fs.chmodSync(dir, 0o1777);
  fs.chmodSync(tmp, 0o755);
  return dir;
}

interface Listening { child: ChildProcess; port: number; secretFile: string; stderr: () => string; exited: Promise<number | null> }

/** `python3 -m greenlet_lens listen --port 0 … prog`, once it says where it listens. */
async function listen(program: string, args: string[] = [], extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Listening> {
  const child = spawn(PYTHON, ['-m', 'greenlet_lens', 'listen', '--port', '0', ...extra, '--', program, ...args], {
    cwd: ROOT, env: { ...process.env, PYTHONPATH: RUNTIME, PYTHONDONTWRITEBYTECODE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const m = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not start:\n${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const found = /listening on 127\.0\.0\.1:(\d+), secret in (\S+)\n/.exec(err);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`listen exited ${code}:\n${err}`)); });
  });
  return { child, port: Number(m[1]), secretFile: m[2]!, stderr: () => err, exited };
}

/** The adapter's side of the handshake, as the real adapter does it. */
async function attachWith(port: number, secret: string): Promise<RuntimeChannel> {
  const ch = await RuntimeChannel.connect('127.0.0.1', port, 5000);
  await ch.handshake(secret, 5000);
  return ch;
}

function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Everything the socket receives until it closes or `ms` pass. */
function received(s: net.Socket, ms: number): Promise<{ bytes: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closed = false;
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('close', () => { closed = true; finish(); });
    s.on('error', () => undefined);
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), closed });
    }
  });
}

test('record writes a private trace (0600), refuses a file that is not a trace and the program itself, and overwrites an earlier trace', () => {
  const r = record(prog('workers.py'));
  assert.equal(r.status, 0, describe(r));
  assert.equal(fs.statSync(r.trace).mode & 0o777, 0o600);
  const notes = tmpFile('notes.txt');
  fs.writeFileSync(notes, 'my notes\n', { mode: 0o644 });
  const refused = cli(['record', '--python', PYTHON, '--output', notes, '--', prog('workers.py')]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /exists and is not a Greenlet Lens trace; refusing to overwrite it/);
  assert.equal(fs.readFileSync(notes, 'utf8'), 'my notes\n');
  const copy = tmpFile('self.py');
  fs.copyFileSync(prog('workers.py'), copy);
  const self = cli(['record', '--python', PYTHON, '--output', copy, '--', copy]);
  assert.notEqual(self.status, 0);
  assert.match(self.stderr, /is the program itself/);
  assert.equal(fs.readFileSync(copy, 'utf8'), fs.readFileSync(prog('workers.py'), 'utf8'));
  const link = tmpFile('link.glt');
  fs.symlinkSync(notes, link);
  assert.match(cli(['record', '--python', PYTHON, '--output', link, '--', prog('workers.py')]).stderr, /symbolic link/);
  fs.chmodSync(r.trace, 0o644);
  const again = cli(['record', '--python', PYTHON, '--output', r.trace, '--', prog('workers.py')]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(fs.statSync(r.trace).mode & 0o777, 0o600, 'an overwritten trace is made private');
  // Another user plants a trace, open to all, where the user will record: the program's data must not go there.
  const shared = sharedTmp();
  const planted = path.join(shared, 'run.glt');
  const plant = asNobody(['sh', '-c', `printf '\\211GLT\\r\\n\\032\\n' > ${planted} && chmod 666 ${planted}`]);
  if (plant === null) return;
  assert.equal(plant.status, 0, plant.stderr);
  const into = cli(['record', '--python', PYTHON, '--output', planted, '--', prog('workers.py')]);
  assert.notEqual(into.status, 0);
  assert.match(into.stderr, /belongs to another user \(uid 65534\); refusing to record into it/);
  assert.equal(fs.statSync(planted).size, 8, 'nothing written into it');
});

test('a program that closes every descriptor and reopens its own gets no trace bytes in its file; the recording goes on', async () => {
  const out = tmpFile('daemon.txt');
  const r = record(prog('daemonish.py'), [out]);
  assert.equal(r.status, 0, describe(r));
  assertDaemonFilesIntact(out, r.stdout);
  const { last, read } = await load(r.trace);
  assert.equal(read.problem, null);
  assert.equal(last.end?.code, 0);
  assert.ok(last.greenlets.filter((g) => g.func === 'sleep').length >= 5, 'greenlets after the closerange are recorded');
});

test('a full disk ends the recording with one line on stderr; the program runs on with its own exit status', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    console.log('# skipped: mounting a small tmpfs needs root (CAP_SYS_ADMIN)');
    return;
  }
  try {
    const trace = path.join(dir, 'run.glt');
    const busy = tmpFile('busy.py');
    fs.writeFileSync(busy, 'import gevent\nfrom gevent.queue import Queue\nq = Queue()\n' +
      'def w():\n    for i in range(30000):\n        q.put("item %d" % i)\n        q.get()\n        gevent.sleep(0)\n' +
      'gevent.spawn(w).join()\nprint("done")\nraise SystemExit(5)\n');
    const b = spawnSync(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, '--', busy], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 5, b.stderr);
    assert.equal(b.stdout, 'done\n');
    assert.equal(b.stderr.match(/recording stopped: cannot write the trace .*No space left on device; the program goes on/g)?.length, 1, b.stderr);
    assert.doesNotMatch(b.stderr, /Traceback/);
    const read = await readTraceFile(trace);
    assert.ok(read.events.length > 100, 'what fitted is readable');
  } finally {
    execFileSync('umount', ['--lazy', dir]);
  }
});

test('Ctrl-C under record runs the program\'s atexit handlers, then ends by SIGINT as python3 does', async () => {
  const { child } = recordInBackground(prog('stop_cleanup.py'));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve) => child.stdout!.on('data', () => { if (out.includes('running')) resolve(); }));
  // Past the print, into the join (a SIGINT in between would miss main's try, as under plain python3).
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
  assert.equal(signal, 'SIGINT');
  assert.match(out, /main finally ran/);
  assert.match(out, /atexit ran/);
});

test('the program\'s own greenlet.settrace is chained: its tracer sees switches and recording goes on', async () => {
  const r = record(prog('own_tracers.py'));
  assert.equal(r.status, 0, describe(r));
  const m = /switches seen (\d+), gettrace is mine True/.exec(r.stdout);
  assert.ok(m !== null && Number(m[1]) >= 12, r.stdout);
  const { events, last } = await load(r.trace);
  const workers = last.greenlets.filter((g) => g.func === 'worker');
  assert.equal(workers.length, 2);
  for (const w of workers) assert.ok(events.some((e) => e.kind === 'switch' && e.to === w.id), `switches into g${w.id} recorded`);
  assert.equal(last.errors.length, 0);
});

test('only three frames of the runtime sit under the program\'s (runpy\'s two, as under python -m, and its module)', () => {
  const probe = tmpFile('stack.py');
  fs.writeFileSync(probe, 'import traceback\nprint([(f.filename.rsplit("/", 2)[-2:], f.name) for f in traceback.extract_stack()])\n');
  const r = record(probe);
  assert.equal(r.status, 0, describe(r));
  const frames = JSON.parse(r.stdout.trim().replace(/'/g, '"').replace(/\(/g, '[').replace(/\)/g, ']')) as [string[], string][];
  assert.equal(frames.length, 4, r.stdout);
  assert.deepEqual(frames.slice(2).map((f) => f[1]), ['<module>', '<module>']);
  assert.deepEqual(frames[2]![0], ['greenlet_lens', '__main__.py']);
});

test('names and mark labels are cut when stored; right-to-left overrides are shown as escapes', async () => {
  const p = tmpFile('names.py');
  fs.writeFileSync(p, 'import gevent, greenlet_lens\n' +
    'g = gevent.spawn(gevent.sleep, 0)\ng.name = "x" * 5000\n' +
    'h = gevent.spawn(gevent.sleep, 0)\nh.name = "admin\\u202egnp.exe"\n' +
    'greenlet_lens.mark("m" * 5000)\ngevent.joinall([g, h])\n');
  const r = record(p, [], { PYTHONPATH: RUNTIME });
  assert.equal(r.status, 0, describe(r));
  const { last } = await load(r.trace);
  const long = last.greenlets.find((g) => g.name.startsWith('xxx'))!;
  assert.ok(long.name.length <= 200, `name of ${long.name.length} characters`);
  assert.ok(last.marks[0]!.label.length <= 200);
  assert.ok(last.greenlets.some((g) => g.name === 'admin<U+202E>gnp.exe'), last.greenlets.map((g) => g.name).join(', '));
  const text = cli(['state', r.trace, '--text']);
  assert.doesNotMatch(text.stdout, /\u202e/);
  assert.match(text.stdout, /admin<U\+202E>gnp\.exe/);
});

test('state --text and state on 200k greenlets: no stack overflow, and within a 96 MB heap (no event log, no second copy of the greenlets)', { skip: NODE_ONLY }, () => {
  const b = new TraceBuilder();
  const spawn = (g: number, gkind: 'main' | 'gevent', func: string) =>
    ({ kind: 'spawn' as const, g, parent: g === 1 ? 0 : 1, gkind, name: '', func, site: null, stack: [] });
  b.add(spawn(1, 'main', '<main>'));
  for (let g = 2; g < 200_002; g++) {
    // Short-lived, as a server's request greenlets: the trace has 800k events.
    b.add(spawn(g, 'gevent', 'job'), { kind: 'switch', from: 1, to: g, throw: false },
      { kind: 'exit', g, flags: { started: true, ready: true, successful: true, killed: false }, value: String(g), error: '' },
      { kind: 'switch', from: g, to: 1, throw: false });
    if (g % 10_000 === 0) b.flush();
  }
  const file = tmpFile('200k.glt');
  fs.writeFileSync(file, b.bytes());
  const state = (...extra: string[]) => spawnSync(process.execPath, ['--max-old-space-size=96', CLI, 'state', file, ...extra], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const text = state('--text');
  assert.equal(text.status, 0, text.stderr.slice(0, 500));
  assert.match(text.stdout, /greenlets \(200001\):/);
  assert.match(text.stdout, /\n {2}g200001 job +dead \[started ready successful\] value=200001\n/);
  const json = state();
  assert.equal(json.status, 0, json.stderr.slice(0, 500));
  const parsed = JSON.parse(json.stdout) as { greenlets: { id: number; flags: { value: string } }[] };
  assert.equal(parsed.greenlets.length, 200_001);
  assert.deepEqual([parsed.greenlets[0]!.id, parsed.greenlets.at(-1)!.id, parsed.greenlets.at(-1)!.flags.value], [1, 200_001, '200001']);
});

test('the recorder forgets dead greenlets: its size stays flat over 80k short-lived ones', { skip: RUNTIME_ONLY }, () => {
  // bench/workloads/short_lived.py prints its own VmRSS after each tenth (`rss DONE KB`).
  const r = record(path.join(ROOT, 'bench', 'workloads', 'short_lived.py'), ['80000']);
  assert.equal(r.status, 0, describe(r));
  const rss = new Map([...r.stderr.matchAll(/^rss (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]));
  const growth = (rss.get(80_000)! - rss.get(16_000)!) / 1024;
  // Kept for each dead greenlet, the recorder grew by 12 MB here; flat, it grows by well under 1 MB.
  assert.ok(growth < 5, `the recorded program grew by ${growth.toFixed(1)} MB from 16k to 80k greenlets`);
});

test('past its intern table the recorder uses each new string once, as the header says, so readers keep a bounded table', { skip: RUNTIME_ONLY }, async () => {
  // 205k distinct items: more than the 200k strings the recorder remembers; an early string comes back now and then.
  const p = tmpFile('many_strings.py');
  fs.writeFileSync(p, 'from gevent.queue import Queue\nq = Queue()\nfor i in range(205000):\n    q.put(i)\n    q.get()\n' +
    '    if i % 1000 == 0:\n        q.put("again")\n        q.get()\n');
  const r = record(p);
  assert.equal(r.status, 0, describe(r));
  const read = await readTraceFile(r.trace);
  assert.equal(read.problem, null);
  assert.equal(read.status, 'complete');
  assert.equal(read.header?.internedStrings, 199_999);
  const items = read.events.flatMap((e) => (e.kind === 'put' ? [e.item] : []));
  assert.equal(items.length, 205_000 + 205);
  assert.deepEqual(items.slice(-2), ['204998', '204999'], 'one-shot strings past the table');
  assert.equal(items[items.indexOf('204000') + 1], "'again'", 'an early string, still known late');
  assert.equal(items.filter((i) => i === "'again'").length, 205);
});

test('listen keeps its secret in a 0700 folder of its user, unreadable by another user; a folder planted by another user is refused', async () => {
  const shared = sharedTmp();
  const l = await listen(prog('long_runner.py'), [], ['--no-wait'], { TMPDIR: shared });
  try {
    const dir = path.dirname(l.secretFile);
    assert.equal(dir, path.join(shared, `greenlet-lens-${process.getuid!()}`));
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(l.secretFile).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(l.secretFile, 'utf8'), /^[0-9a-f]{64}$/);
    const peek = asNobody(['cat', l.secretFile]);
    if (peek !== null) assert.notEqual(peek.status, 0, 'nobody cannot read the secret');
  } finally {
    l.child.kill('SIGTERM');
    await l.exited;
  }
  // Another user plants the folder first (as they could in /tmp): listen refuses to start.
  const other = sharedTmp();
  const planted = asNobody(['mkdir', '-m', '0777', path.join(other, `greenlet-lens-${process.getuid!()}`)]);
  if (planted === null) return;
  assert.equal(planted.status, 0, planted.stderr);
  const r = spawnSync(PYTHON, ['-m', 'greenlet_lens', 'listen', '--port', '0', '--no-wait', '--', prog('workers.py')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, PYTHONPATH: RUNTIME, TMPDIR: other }, timeout: 30_000,
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /belongs to user id 65534 .* must be yours and private/);
});

test('--secret-file never writes into an existing file that is not a private secret file, nor through a symlink', () => {
  const open = tmpFile('open.secret');
  fs.writeFileSync(open, '', { mode: 0o644 });
  fs.chmodSync(open, 0o644);
  const target = tmpFile('victim.txt');
  fs.writeFileSync(target, 'precious\n', { mode: 0o600 });
  const link = tmpFile('link.secret');
  fs.symlinkSync(target, link);
  // A link to another session's secret file: the one file the content check alone would let through.
  const other = tmpFile('other.secret');
  const otherSecret = 'ab'.repeat(32);
  fs.writeFileSync(other, otherSecret, { mode: 0o600 });
  const linkToSecret = tmpFile('link2.secret');
  fs.symlinkSync(other, linkToSecret);
  for (const [file, why] of [[open, /not a private file of yours \(mode 0644/], [linkToSecret, /refusing to write the secret/], [link, /refusing to write the secret/], [target, /not a Greenlet Lens secret file/]] as const) {
    const r = spawnSync(PYTHON, ['-m', 'greenlet_lens', 'listen', '--port', '0', '--secret-file', file, '--no-wait', '--', prog('workers.py')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, PYTHONPATH: RUNTIME }, timeout: 30_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, why);
  }
  assert.equal(fs.readFileSync(open, 'utf8'), '');
  assert.equal(fs.readFileSync(target, 'utf8'), 'precious\n');
  assert.equal(fs.readFileSync(other, 'utf8'), otherSecret, 'a symlink is never followed');
});

test('listen sends nothing before the proof (a greeting with a nonce only), and survives junk, huge and nested frames, silence and wrong secrets', { skip: RUNTIME_ONLY }, async () => {
  const l = await listen(prog('long_runner.py'), [], ['--no-wait']);
  try {
    const secret = fs.readFileSync(l.secretFile, 'utf8').trim();
    // A stranger connects and says nothing: one frame, the greeting, and nothing about the program.
    const silent = await rawConnect(l.port);
    const silentSince = Date.now();
    const silentDropped = new Promise<number>((resolve) => silent.on('close', () => resolve(Date.now() - silentSince)));
    const seen = received(silent, 600);
    // ... while a junk client, a huge frame and a deeply nested one come and go.
    // The nested frame within the 4 KiB allowed before the proof reaches the JSON parser: its
    // RecursionError must end that connection only; the larger one is refused by its length.
    const nested = (depth: number) => encodeFrame(KIND_JSON, Buffer.from('['.repeat(depth)));
    for (const payload of [Buffer.from('GET / HT'), Buffer.from([0x4a, 0x30, 0, 0, 0]), nested(4000), nested(100_000)]) {
      const s = await rawConnect(l.port);
      const r = received(s, 5000);
      s.write(payload);
      assert.equal((await r).closed, true, 'a bad client is disconnected');
    }
    const wrong = await RuntimeChannel.connect('127.0.0.1', l.port, 5000);
    await assert.rejects(wrong.handshake('00'.repeat(32), 5000), /wrong secret/);
    const { bytes } = await seen;
    assert.equal(bytes[0], KIND_JSON);
    const first = JSON.parse(bytes.subarray(5, 5 + bytes.readUInt32BE(1)).toString()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first).sort(), ['nonce', 'protocol', 'type']);
    assert.equal(bytes.length, 5 + bytes.readUInt32BE(1), 'no trace bytes before the proof');
    // The real secret still gets in, with the trace; after a detach, in again.
    for (let round = 0; round < 2; round++) {
      const ch = await attachWith(l.port, secret);
      const trace = new Promise<Buffer>((resolve) => ch.on('trace', resolve));
      ch.deliver();
      assert.ok((await trace).subarray(0, 4).equals(Buffer.from([0x89, 0x47, 0x4c, 0x54])));
      await ch.request('disconnect', { terminate: false });
      ch.close();
    }
    // The silent stranger holds no place for ever: the runtime drops it after its time limit (10 s).
    const dropped = await Promise.race([silentDropped, new Promise<null>((r) => setTimeout(() => r(null), 20_000 - (Date.now() - silentSince)))]);
    assert.ok(dropped !== null, 'a client that never proves itself is dropped by the runtime');
    assert.equal(l.child.exitCode, null, 'the program ran on throughout');
    // A bad client is the runtime's business: nothing of it reaches the program's stderr.
    assert.doesNotMatch(l.stderr(), /Traceback|Unhandled exception|Error/, 'the program\'s stderr stays its own');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${l.child.pid}/status`, 'utf8'))![1]);
    assert.ok(rss < 200_000, `program RSS ${rss} kB after a 1.3 GB frame header`);
  } finally {
    l.child.kill('SIGKILL');
  }
});

test('a listen ended by a signal leaves no secret file and no temporary trace behind', async () => {
  const shared = sharedTmp();
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const l = await listen(prog('long_runner.py'), [], ['--no-wait'], { TMPDIR: shared });
    const dir = path.dirname(l.secretFile);
    assert.equal(fs.readdirSync(dir).length, 2, 'the secret and the trace so far');
    l.child.kill(signal);
    await l.exited;
    const deadline = Date.now() + 5000;
    while (fs.readdirSync(dir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(fs.readdirSync(dir), [], `after ${signal}`);
  }
});
