import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { validateAttach } from '../../debug-adapter/runtime/launch-config';
import { LiveRuntime } from '../../debug-adapter/runtime/live-runtime';
import type { StopInfo } from '../../shared/protocol/stop';
import { AdapterErrorId, type AdapterError } from '../../debug-adapter/errors';
import { NotificationQueue } from '../../debug-adapter/runtime/notification-queue';
import { FakeRuntime } from '../support/fake-runtime';
import { SAMPLE, sampleBytes } from '../support/sample-trace';
import { TraceBuilder } from '../support/trace-builder';
import { DEFAULT_KEEP_DEAD } from '../../shared/model/trace-model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-live-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Seen {
  log: string[];
  stops: StopInfo[];
  errors: AdapterError[];
  eventCount: number;
}

async function attach(extra: Record<string, unknown> = {}): Promise<{ fake: FakeRuntime; rt: LiveRuntime; seen: Seen }> {
  const fake = await FakeRuntime.listen();
  fake.secret = typeof extra['secret'] === 'string' ? extra['secret'] : 'secretFile' in extra ? SECRET_OF_FILES : 'feed';
  const rt = new LiveRuntime();
  const seen: Seen = { log: [], stops: [], errors: [], eventCount: 0 };
  rt.on('events', (evs) => {
    seen.eventCount += evs.length;
    seen.log.push(`events ${evs.length}`);
  });
  rt.on('stopped', (s) => {
    seen.stops.push(s);
    seen.log.push(`stopped ${s.reason} (model has ${rt.model.eventCount})`);
  });
  rt.on('continued', () => seen.log.push('continued'));
  rt.on('exited', ({ code }) => seen.log.push(`exited ${code}`));
  rt.on('terminated', () => seen.log.push('terminated'));
  rt.on('error', (e) => seen.errors.push(e));
  const config = validateAttach({ port: fake.port, secret: 'feed', ...extra } as never);
  const attaching = rt.attach(config, 3000);
  await fake.connected;
  fake.sendHello();
  await attaching;
  return { fake, rt, seen };
}

/** The secret in the secret files these tests write. */
const SECRET_OF_FILES = 'c0ffee'.repeat(10) + 'c0ff';
const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('attach: hello with the secret, then configure with the defaults', async () => {
  const { fake, rt } = await attach();
  const hello = await fake.next('hello');
  assert.equal(hello['secret'], undefined, 'the secret itself never crosses the connection');
  assert.equal(typeof hello['proof'], 'string');
  const configure = await fake.next('configure');
  assert.deepEqual(
    [configure['stopOnEntry'], configure['exceptionFilters'], configure['blockedLoopMs'], configure['justMyCode']],
    [false, ['greenletException', 'uncaught'], 100, true],
  );
  assert.equal(rt.hello?.gevent, '22.10.2');
  await rt.setExceptionFilters(['uncaught']);
  assert.deepEqual((await fake.next('configure'))['exceptionFilters'], ['uncaught']);
  rt.dispose();
  fake.close();
});

test('a stop is passed on only once the model holds its event; notifications keep their order', async () => {
  const { fake, rt, seen } = await attach();
  const bytes = sampleBytes(7);
  // The stop names event 9 before any trace byte arrived: it must wait for them.
  fake.sendJson({ type: 'stopped', reason: 'switch', g: 3, seq: 9, from: 2, to: 3 });
  fake.sendJson({ type: 'continued' });
  await settle();
  assert.equal(seen.log.length, 0, 'held back');
  fake.sendTrace(bytes.subarray(0, 40));
  fake.sendTrace(bytes.subarray(40));
  await settle();
  assert.equal(seen.eventCount, SAMPLE.length);
  assert.equal(rt.model.eventCount, SAMPLE.length);
  const stopAt = seen.log.findIndex((l) => l.startsWith('stopped'));
  assert.ok(stopAt > 0, seen.log.join('\n'));
  assert.match(seen.log[stopAt]!, /stopped switch \(model has (\d+)\)/);
  assert.ok(Number(/has (\d+)/.exec(seen.log[stopAt]!)![1]) >= 10);
  assert.equal(seen.log[stopAt + 1], 'continued');
  assert.deepEqual(seen.stops[0], { reason: 'switch', g: 3, seq: 9, from: 2, to: 3 });
  assert.equal(rt.feed.header?.format, 'greenlet-lens-trace');
  assert.deepEqual(seen.errors, []);
  rt.dispose();
  fake.close();
});

test('exited, then the connection closes: exited with the code, then terminated', async () => {
  const { fake, seen } = await attach();
  fake.sendTrace(sampleBytes());
  fake.sendJson({ type: 'exited', code: 3 });
  fake.closeConnection();
  await settle(100);
  assert.deepEqual(seen.log.slice(-2), ['exited 3', 'terminated']);
  assert.deepEqual(seen.errors, []);
  fake.close();
});

test('attach with "trace" saves the stream as a trace file, byte for byte', async () => {
  const file = path.join(dir, 'attached.glt');
  const { fake, rt } = await attach({ trace: file });
  const bytes = sampleBytes(5);
  fake.sendTrace(bytes);
  await settle();
  fake.closeConnection();
  await settle(100);
  assert.deepEqual(new Uint8Array(fs.readFileSync(file)), bytes);
  rt.dispose();
  fake.close();
});

test('protocol violations and a corrupt trace stream are reported, not swallowed', async () => {
  const { fake, rt, seen } = await attach();
  fake.sendJson({ type: 'stopped', reason: 'entry' });
  const bytes = Buffer.from(sampleBytes());
  bytes[bytes.length - 3] ^= 0xff;
  fake.sendTrace(bytes);
  await settle();
  assert.equal(seen.errors.length, 2, seen.errors.map((e) => e.message).join('\n'));
  assert.ok(seen.errors.every((e) => e.id === AdapterErrorId.ProtocolViolation));
  assert.match(seen.errors[0]!.message, /no integer g/);
  assert.match(seen.errors[1]!.message, /live trace stream is unreadable/);
  rt.dispose();
  fake.close();
});

const SECRET = 'c0ffee'.repeat(10) + 'c0ff';

test('attach reads the secret from secretFile; a missing secret file is a named error', async () => {
  const secretFile = path.join(dir, 'port.secret');
  fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  const { fake, rt } = await attach({ secret: undefined, secretFile });
  fake.secret = SECRET;
  assert.equal(typeof (await fake.next('hello'))['proof'], 'string');
  assert.equal(rt.hello?.pid, process.pid, 'proved with the file\'s secret');
  rt.dispose();
  fake.close();
  const rt2 = new LiveRuntime();
  const config = validateAttach({ port: 1, secretFile: path.join(dir, 'none.secret') } as never);
  await assert.rejects(rt2.attach(config, 200), (e: AdapterError) => e.id === AdapterErrorId.SecretNotFound && /none\.secret does not exist/.test(e.message));
});

test('requests before a connection are NotConnected errors', async () => {
  const rt = new LiveRuntime();
  await assert.rejects(rt.resume(), (e: AdapterError) => e.id === AdapterErrorId.NotConnected);
  await assert.rejects(rt.stack(1, 0, 20), (e: AdapterError) => e.id === AdapterErrorId.NotConnected);
});

test('a stop whose event never arrives is reported as a runtime defect and shown anyway, in order', async () => {
  let count = 0;
  const out: string[] = [];
  const late: string[] = [];
  const q = new NotificationQueue(() => count, (n) => out.push(n.type), (seq, have) => late.push(`${seq}/${have}`), 30);
  q.push({ type: 'stopped', stop: { reason: 'pause', g: 1, seq: 4 } });
  q.push({ type: 'continued' });
  count = 4;
  q.drain();
  assert.deepEqual(out, []);
  await settle(60);
  assert.deepEqual(late, ['4/4']);
  assert.deepEqual(out, ['stopped', 'continued']);
  count = 10;
  q.push({ type: 'stopped', stop: { reason: 'pause', g: 1, seq: 9 } });
  assert.deepEqual(out, ['stopped', 'continued', 'stopped'], 'no wait when the event is there');
});

test('an answer without its list is a named protocol violation, not a TypeError later', async () => {
  const { fake, rt } = await attach();
  fake.handler = (req) => (req['type'] === 'stack' ? { total: 3 } : req['type'] === 'variables' ? { variables: [] } : {});
  await assert.rejects(rt.stack(1, 0, 20), (e: AdapterError) => e.id === AdapterErrorId.ProtocolViolation && /"stack" has no "frames" list/.test(e.message));
  assert.deepEqual(await rt.variables(5), { variables: [] });
  rt.dispose();
  fake.close();
});

test('attach refuses a secret file others can read, or one another user owns', async () => {
  const file = path.join(dir, 'open.secret');
  fs.writeFileSync(file, `${SECRET}\n`, { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const unsafe = (pattern: RegExp) => (e: AdapterError) => e.id === AdapterErrorId.SecretFileUnsafe && pattern.test(e.message);
  const config = validateAttach({ port: 1, secretFile: file } as never);
  await assert.rejects(new LiveRuntime().attach(config, 200), unsafe(/can be read or written by other users \(mode 0644\)/));
  fs.chmodSync(file, 0o600);
  if (process.getuid?.() === 0) {
    // Only root can give a file away; elsewhere the owner check is covered by the real attach tests.
    fs.chownSync(file, 65534, 65534);
    await assert.rejects(new LiveRuntime().attach(config, 200), unsafe(/belongs to user id 65534, not to you \(0\)/));
  }
});

test('attach with a "trace" that cannot be written: a TraceWriteFailed error, not a config error', async () => {
  const { fake, rt, seen } = await attach({ trace: path.join(dir, 'no-such-dir', 'x.glt') });
  await settle(100);
  assert.deepEqual(seen.errors.map((e) => [AdapterErrorId[e.id], /cannot write the trace/.test(e.message)]), [['TraceWriteFailed', true]]);
  rt.dispose();
  fake.close();
});

/** The errors an attach session with `trace: file` reports once it has received a trace. */
async function traceErrors(file: string): Promise<AdapterError[]> {
  const { fake, rt, seen } = await attach({ trace: file });
  try {
    fake.sendTrace(sampleBytes());
    await settle();
    return seen.errors;
  } finally {
    rt.dispose();
    fake.close();
  }
}

test('attach with "trace" keeps the output rule: a new file is 0600; a file that is not a trace, another user\'s, or a symlink is refused untouched', async () => {
  const fresh = path.join(dir, 'fresh.glt');
  assert.deepEqual(await traceErrors(fresh), []);
  assert.equal(fs.statSync(fresh).mode & 0o777, 0o600);
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(notes, 'my notes\n', { mode: 0o644 });
  const link = path.join(dir, 'link.glt');
  fs.symlinkSync(fresh, link);
  const cases: [string, RegExp][] = [[notes, /is not a Greenlet Lens trace; refusing to overwrite it/], [link, /is a symbolic link/]];
  // A trace another user planted, open to all: the program's data must not go there (needs root to give a file away).
  const planted = path.join(dir, 'planted.glt');
  if (process.getuid?.() === 0) {
    fs.writeFileSync(planted, Buffer.from([0x89, 0x47, 0x4c, 0x54, 0x0d, 0x0a, 0x1a, 0x0a]));
    fs.chmodSync(planted, 0o666);
    fs.chownSync(planted, 65534, 65534);
    cases.push([planted, /belongs to another user \(uid 65534\)/]);
  } else {
    console.log('# skipped the other-user case: giving a file away needs root');
  }
  for (const [file, why] of cases) {
    const errors = await traceErrors(file);
    assert.deepEqual(errors.map((e) => AdapterErrorId[e.id]), ['TraceWriteFailed'], file);
    assert.match(errors[0]!.message, why);
  }
  assert.equal(fs.readFileSync(notes, 'utf8'), 'my notes\n');
  assert.deepEqual(new Uint8Array(fs.readFileSync(fresh)), sampleBytes(), 'the trace behind the link is untouched');
  if (cases.length > 2) assert.equal(fs.statSync(planted).size, 8, 'nothing written into another user\'s file');
});

test('after dispose nothing is emitted: a held stop is dropped and later bytes are ignored', async () => {
  const { fake, rt, seen } = await attach();
  // The stop waits for trace events that have not come; dispose must forget it (and its timer).
  fake.sendJson({ type: 'stopped', reason: 'pause', g: 1, seq: 9 });
  await settle();
  rt.dispose();
  fake.sendTrace(sampleBytes());
  fake.sendJson({ type: 'exited', code: 0 });
  await settle(100);
  assert.deepEqual([seen.log, seen.errors], [[], []]);
  fake.close();
});

test('attach never uses a secretFile that is not a secret file (a private key, say): refused unread', async () => {
  const key = path.join(dir, 'id_ed25519');
  fs.writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
  const fake = await FakeRuntime.listen();
  const config = validateAttach({ port: fake.port, secretFile: key } as never);
  await assert.rejects(new LiveRuntime().attach(config, 500), (e: AdapterError) =>
    e.id === AdapterErrorId.SecretFileUnsafe && /is not a Greenlet Lens secret file/.test(e.message));
  assert.deepEqual(fake.received, [], 'nothing was sent to the port');
  fake.close();
});

test('attach refuses a runtime that cannot prove it knows the secret, and sends it nothing more', async () => {
  const fake = await FakeRuntime.listen();
  fake.handler = (req) => (req['type'] === 'hello' ? { pid: 1, argv: [], proof: '00'.repeat(32) } : {});
  const rt = new LiveRuntime();
  const config = validateAttach({ port: fake.port, secret: 'feed' } as never);
  const attaching = rt.attach(config, 3000);
  await fake.connected;
  fake.sendHello();
  await assert.rejects(attaching, (e: AdapterError) => e.id === AdapterErrorId.HandshakeFailed && /could not prove it knows the secret/.test(e.message));
  await settle(100);
  assert.deepEqual(fake.received.map((m) => m['type']), ['hello'], 'no configure, no breakpoints');
  fake.close();
});

test('a long live session keeps no event log and only the latest dead greenlets: the adapter\'s memory does not grow with the run', async () => {
  const { fake, rt, seen } = await attach();
  const b = new TraceBuilder();
  b.add({ kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<main>', site: null, stack: [] });
  const n = DEFAULT_KEEP_DEAD + 5000;
  for (let g = 2; g < n + 2; g++) {
    b.add({ kind: 'spawn', g, parent: 1, gkind: 'gevent', name: '', func: 'job', site: null, stack: [] });
    b.add({ kind: 'switch', from: 1, to: g, throw: false });
    b.add({ kind: 'exit', g, flags: { started: true, ready: true, successful: true, killed: false }, value: '', error: '' });
    b.add({ kind: 'switch', from: g, to: 1, throw: false });
    if (g % 2000 === 0) b.flush();
  }
  try {
    fake.sendTrace(b.bytes());
    const deadline = Date.now() + 10_000;
    while (rt.model.eventCount < 4 * n + 1 && Date.now() < deadline) await settle(20);
    assert.equal(rt.model.eventCount, 4 * n + 1, seen.errors.map((e) => e.message).join('\n'));
    assert.equal(rt.model.log.length, 0, 'no event is stored');
    const greenlets = rt.model.latest().greenlets;
    assert.equal(greenlets.length, DEFAULT_KEEP_DEAD + 1, 'main and the latest dead');
    assert.equal(greenlets.at(-1)!.id, n + 1);
  } finally {
    rt.dispose();
    fake.close();
  }
});
