/**
 * The rules the runtime keeps: the program runs as it would without it, a
 * plain greenlet program is recorded too, reprs never run program code, a
 * killed recorder keeps what it wrote, and bad input gets a clear message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readTraceFile } from '../../shared/trace/read-file';
import { greenletOnlyPython } from '../support/stacks';
import { PROGRAMS, PYTHON, ROOT, cli, describe, load, plain, record, recordInBackground, tmpFile } from './support';

const prog = (name: string) => path.join(PROGRAMS, name);
const withoutCliLine = (s: string) => s.replace(/^greenlet-lens: recorded .*\n/m, '');

/** A test program recorded, after checking it exits 0 and prints what it prints plainly. */
async function recordedLikePlain(name: string) {
  const rec = record(prog(name));
  const ref = plain(prog(name));
  assert.equal(rec.status, 0, describe(rec));
  assert.equal(rec.stdout, ref.stdout);
  return { rec, ...(await load(rec.trace)) };
}

test('the program sees the same argv, __main__, sys.path[0], output and exit status', () => {
  const rec = record(prog('argv_exit.py'), ['a', '--flag', 'b c']);
  const ref = plain(prog('argv_exit.py'), ['a', '--flag', 'b c']);
  assert.equal(rec.status, 3, describe(rec));
  assert.equal(rec.stdout, ref.stdout);
  assert.equal(withoutCliLine(rec.stderr), ref.stderr);
  const seen = JSON.parse(rec.stdout);
  assert.deepEqual(seen.argv.slice(1), ['a', '--flag', 'b c']);
  assert.equal(seen.name, '__main__');
  assert.equal(seen.main_is_me, true);
  assert.equal(seen.path0, 'programs');
});

test('-m module runs the module as __main__ with its arguments', async () => {
  const trace = tmpFile('mod.glt');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'record', '--python', PYTHON, '-o', trace, '-m', 'mod_echo', 'x', 'y'],
    { cwd: PROGRAMS, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "__main__ ['x', 'y'] True");
  const { last } = await load(trace);
  assert.equal(last.end?.code, 0);
  assert.ok(last.greenlets.some((g) => g.gkind === 'hub'));
});

test('gevent.monkey.patch_all() in the program works; socket waits are recorded as io', async () => {
  const rec = record(prog('patched_echo.py'));
  assert.equal(rec.status, 0, describe(rec));
  assert.equal(rec.stdout.trim(), "['HELLO 0', 'HELLO 1', 'HELLO 2', 'HELLO 3', 'HELLO 4']");
  const { events, last } = await load(rec.trace);
  assert.equal(last.end?.errors, 0, JSON.stringify(last.errors));
  const io = events.filter((e) => e.kind === 'block' && e.reason === 'io');
  assert.ok(io.length >= 5, `io blocks: ${io.length}`);
  assert.ok(io.some((e) => e.kind === 'block' && e.site?.function === 'echo'), 'the handler waits in recv');
});

test('plain greenlet programs record spawn, switch, exit and exception', async () => {
  const rec = record(prog('plain_greenlets.py'));
  assert.equal(rec.status, 0, describe(rec));
  assert.equal(rec.stdout, "seen [0, 1, 2] last ping done\ncaught boom in a plain greenlet\n");
  const { events, last } = await load(rec.trace);
  const plainOnes = last.greenlets.filter((g) => g.gkind === 'greenlet');
  assert.equal(plainOnes.length, 3);
  assert.deepEqual(plainOnes.map((g) => g.name).slice(0, 2), ['ping', 'pong']);
  const [ping, pong, boom] = plainOnes;
  assert.equal(ping!.state, 'dead_ok');
  assert.equal(pong!.state, 'runnable', 'pong is left suspended');
  assert.equal(boom!.state, 'dead_exception');
  assert.equal(boom!.exceptionInfo?.type, 'ValueError');
  assert.equal(boom!.exceptionInfo?.message, 'boom in a plain greenlet');
  assert.ok(events.filter((e) => e.kind === 'switch').length >= 12);
  assert.ok(events.some((e) => e.kind === 'switch' && e.throw && e.from === boom!.id), 'the failure is thrown into the parent');
});

test('reprs never call the program: raising, blocking and huge __repr__ change nothing', async () => {
  const rec = record(prog('evil_reprs.py'));
  const ref = plain(prog('evil_reprs.py'));
  assert.equal(rec.status, 0, describe(rec));
  assert.equal(rec.stdout, ref.stdout);
  assert.match(rec.stdout, /repr calls \[\]/);
  const { events, last } = await load(rec.trace);
  const items = events.flatMap((e) => (e.kind === 'put' ? [e.item] : []));
  assert.deepEqual(items.slice(0, 3), ['<Raises>', '<Blocks>', '<Huge>']);
  assert.ok(items.every((i) => i.length <= 200), 'bounded');
  assert.equal(last.end?.errors, 0);
  const failing = last.greenlets.find((g) => g.func === 'failing')!;
  assert.equal(failing.exceptionInfo?.type, 'BadStr');
});

test('a recorder killed with SIGKILL leaves a readable trace with everything written 100 ms before', async () => {
  const { child, trace } = recordInBackground(prog('long_runner.py'));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('marked')) resolve();
    });
    child.on('exit', () => reject(new Error('exited before marking')));
  });
  await new Promise((r) => setTimeout(r, 250));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const read = await readTraceFile(trace);
  assert.equal(read.status, 'incomplete', read.problem?.message);
  assert.ok(read.events.some((e) => e.kind === 'mark' && e.label === 'before-kill'));
  assert.ok(read.events.filter((e) => e.kind === 'block' && e.reason === 'sleep').length >= 3);
  const s = cli(['stats', trace]);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout + s.stderr, /incomplete/);
});

test('a truncated trace reads up to its last complete record', async () => {
  const rec = record(path.join(ROOT, 'examples', 'queue_workers.py'));
  const full = await readTraceFile(rec.trace);
  const bytes = fs.readFileSync(rec.trace);
  for (const cut of [Math.floor(bytes.length * 0.3), Math.floor(bytes.length * 0.7), bytes.length - 1]) {
    const part = tmpFile('cut.glt');
    fs.writeFileSync(part, bytes.subarray(0, cut));
    const read = await readTraceFile(part);
    assert.ok(read.status === 'truncated' || read.status === 'incomplete', `${cut}: ${read.status}`);
    assert.ok(read.events.length > 0 && read.events.length < full.events.length);
    assert.deepEqual(read.events, full.events.slice(0, read.events.length));
    const st = cli(['state', part]);
    assert.ok(st.stdout.includes('"greenlets"'), 'state still prints what was read');
    assert.match(st.stderr, /truncated|incomplete/);
  }
});

test('a previous greenlet tracer keeps running: the recorder chains to it', async () => {
  const out = tmpFile('tracer-first.txt');
  const rec = record(path.join(ROOT, 'examples', 'queue_workers.py'), [], {
    PYTHONPATH: path.join(PROGRAMS, 'tracer_first'), TRACER_FIRST_OUT: out,
  });
  assert.equal(rec.status, 0, describe(rec));
  const { last } = await load(rec.trace);
  assert.equal(Number(fs.readFileSync(out, 'utf8')), last.end?.switches);
});

test('a Python without gevent and greenlet gets a clear error naming the install command', () => {
  const fake = tmpFile('python-without-gevent');
  // A real interpreter with its site-packages (and so gevent and greenlet) switched off.
  fs.writeFileSync(fake, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`, { mode: 0o755 });
  const r = cli(['record', '--python', fake, '--', path.join(ROOT, 'examples', 'events.py')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /gevent/);
  assert.match(r.stderr, /apt-get install python3-gevent/);
  assert.match(r.stderr, /pip install gevent/);
  // The runtime itself, run directly with that interpreter, says the same without a traceback.
  const direct = spawnSync(fake, ['-m', 'greenlet_lens', 'record', '--', path.join(ROOT, 'examples', 'events.py')],
    { encoding: 'utf8', env: { ...process.env, PYTHONPATH: path.join(ROOT, 'runtime-instrumentation') } });
  assert.equal(direct.status, 2);
  assert.match(direct.stderr, /^greenlet_lens: error: .* cannot import greenlet \(ModuleNotFoundError: No module named 'greenlet'\): install gevent/);
  assert.doesNotMatch(direct.stderr, /Traceback/);
});

test('bad command lines and unreadable traces get clear errors, never a stack trace', () => {
  const missing = cli(['state', '/nonexistent/run.glt']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /greenlet-lens: error: .*nonexistent/);
  const junk = tmpFile('junk.glt');
  fs.writeFileSync(junk, 'this is not a trace');
  const bad = cli(['stats', junk]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not a Greenlet Lens trace|magic/i);
  assert.doesNotMatch(bad.stderr + missing.stderr, /at .*\.js:\d+/);
  const noProgram = cli(['record']);
  assert.equal(noProgram.status, 2);
});

test("type checks, subclassing (with an ABC, a metaclass, super()) and pickling of gevent's classes are unchanged", async () => {
  const { rec, events, last } = await recordedLikePlain('type_checks.py');
  const seen = JSON.parse(rec.stdout);
  assert.deepEqual([seen.abc_metaclass, seen.own_metaclass, seen.abc_semaphore], ['ABCMeta', 'Meta', 'AbcSemaphore']);
  assert.ok(Object.values(seen.pickled_classes).every((v) => v === true), JSON.stringify(seen.pickled_classes));
  assert.deepEqual(seen.super_puts, [2, 'a']);
  assert.equal(seen.not_my_subclass, false);
  // The program's queues under the names it made them with (JoinableQueue is
  // an alias of Queue on gevent >= 25.4); not the JoinableQueue's inner Event,
  // not the RLock's inner Semaphore.
  // Named as the program named them, Counting too: its own __init__'s
  // super().__init__() reaches the core's hook in the class dict.
  assert.deepEqual(last.queues.map((q) => [q.label, q.className, q.items]),
    [['counting', 'Counting', ["'b'"]], ['jq', seen.joinable_class, []], ['plain', 'Queue', ['2']], ['copied', 'Queue', ['2', '3']]]);
  assert.deepEqual(last.locks.map((l) => l.label), ['lock']);
  assert.deepEqual(last.events, []);
  assert.equal(events.filter((e) => e.kind === 'put' && e.obj === last.queues[0]!.id).length, 2, "the program's super()._put is recorded once per put");
  assert.equal(events.filter((e) => e.kind === 'acquire').length, 2);
  assert.deepEqual(last.locks[0]!.holders, []);
  assert.equal(last.end?.errors, 0);
});

test("gevent's own objects (Pool.imap's queue and Events, the pool's Semaphore) stay out of the trace", async () => {
  const { events, last } = await recordedLikePlain('gevent_internals.py');
  assert.deepEqual(last.events.map((e) => e.label), ['done'], 'only the program\'s Event');
  assert.deepEqual([last.queues, last.locks], [[], []]);
  assert.deepEqual(events.filter((e) => e.kind === 'set' || e.kind === 'clear').map((e) => e.kind), ['set']);
  assert.equal(last.end?.errors, 0);
});

test('gevent.queue.Channel: every hand-over is a put and a get; an offer nobody takes is withdrawn', async () => {
  const { rec, events, model, last } = await recordedLikePlain('channel.py');
  assert.equal(rec.stdout.trim(), "['a', 'b', 'c', 'full']");
  assert.deepEqual(last.queues.map((q) => [q.label, q.type, q.items]), [['ch', 'Channel', []]]);
  const ch = last.queues[0]!.id;
  assert.deepEqual(events.flatMap((e) => (e.kind === 'put' && e.obj === ch ? [e.item] : [])), ["'a'", "'b'", "'c'", "'nobody takes this'"]);
  assert.deepEqual(events.flatMap((e) => (e.kind === 'get' && e.obj === ch ? [e.item] : [])), ["'a'", "'b'", "'c'"]);
  const taker = last.greenlets.find((g) => g.func === 'taker')!;
  const waits = events.filter((e) => e.kind === 'block' && e.g === taker.id);
  assert.ok(waits.length >= 1 && waits.every((e) => e.kind === 'block' && e.reason === 'queue_get' && e.obj === ch), 'the taker waits on the channel');
  // While the unwanted offer stands, the channel holds it; after Full, nothing.
  const offer = events.find((e) => e.kind === 'put' && e.item === "'nobody takes this'")!;
  assert.deepEqual(model.stateAt(offer.seq).queues[0]!.items, ["'nobody takes this'"]);
  assert.equal(last.inconsistencies, 0);
  assert.equal(last.end?.errors, 0);
});

test('stats names the Python, gevent and greenlet the recording ran on', async () => {
  const rec = record(prog('channel.py'));
  const versions = spawnSync(PYTHON, ['-c', 'import platform, gevent, greenlet; print(platform.python_version(), gevent.__version__, greenlet.__version__)'],
    { encoding: 'utf8' }).stdout.trim().split(' ');
  const [python, gevent, greenlet] = versions;
  const pure = process.env['PURE_PYTHON'] ? ' (pure Python)' : '';
  const s = cli(['stats', rec.trace]);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`^runtime\\s+Python ${python} · gevent ${gevent}${pure.replace(/[()]/g, '\\$&')} · greenlet ${greenlet} \\(loop \\S+\\)$`, 'm'));
  const json = JSON.parse(cli(['stats', rec.trace, '--json']).stdout);
  assert.deepEqual([json.header.python, json.header.gevent, json.header.greenlet, json.header.compiled], [python, gevent, greenlet, pure === '']);
  assert.ok(rec.stderr.includes(`(${PYTHON}: Python ${python} · gevent ${gevent}${pure} · greenlet ${greenlet})`), rec.stderr);
});

test('shutdown.py: SIGQUIT runs the handler that kills the sleeping greenlet', async () => {
  const { child, trace } = recordInBackground(path.join(ROOT, 'examples', 'shutdown.py'));
  // Wait until the greenlet is asleep in the trace (flushed every 50 ms).
  const deadline = Date.now() + 10_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const read = fs.existsSync(trace) ? await readTraceFile(trace) : null;
    if (read?.events.some((e) => e.kind === 'block' && e.reason === 'sleep')) break;
    assert.ok(Date.now() < deadline, 'run_forever never went to sleep');
  }
  child.kill('SIGQUIT');
  const code = await new Promise((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 0);
  const { last, events } = await load(trace);
  const forever = last.greenlets.find((g) => g.func === 'run_forever')!;
  const sleep = events.find((e) => e.kind === 'block' && e.g === forever.id);
  assert.ok(sleep && sleep.kind === 'block' && sleep.timeout === 1000);
  assert.equal(forever.state, 'dead_ok');
  assert.equal(forever.flags.killed, true, 'gevent reports a killed greenlet as successful with a GreenletExit');
  assert.ok(events.some((e) => e.kind === 'switch' && e.throw && e.to === forever.id));
  // A greenlet killed on purpose is neither leaked nor an exception nobody saw.
  assert.equal(cli(['check', trace]).stdout, 'no findings\n');
});

test('a Python with greenlet and without gevent: record runs plain greenlet programs and says so', async (t) => {
  const only = greenletOnlyPython();
  if ('missing' in only) return t.skip(only.missing);
  const trace = tmpFile('greenlet-only.glt');
  const r = cli(['record', '--python', only.python, '--output', trace, '--', prog('plain_greenlets.py')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "seen [0, 1, 2] last ping done\ncaught boom in a plain greenlet\n");
  assert.match(r.stderr, /^greenlet-lens: recorded \d+ events .* · greenlet \S+ · no gevent \(plain greenlets only\)\)$/m);
  const greenletVersion = spawnSync(only.python, ['-c', 'import greenlet; print(greenlet.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const { read, last } = await load(trace);
  assert.deepEqual([read.header?.gevent, read.header?.greenlet], [null, greenletVersion]);
  const names = last.greenlets.filter((g) => g.gkind === 'greenlet').map((g) => `${g.name}:${g.state}`);
  assert.deepEqual(names, ['ping:dead_ok', 'pong:runnable', 'greenlet-4:dead_exception']);
  assert.equal(last.end?.errors, 0);
});
