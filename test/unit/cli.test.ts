import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import { sequence } from '../support/events';
import { SAMPLE, sampleBytes } from '../support/sample-trace';
import { ANSWER_PROBE, PROBE_ANSWER } from '../support/probe-answer';
import { findPython } from '../../cli/find-python';

const CLI = path.join(__dirname, '..', '..', 'cli', 'main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: dir });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const full = sampleBytes();
const SAMPLE_FILE = write('sample.glt', full);
const EVENTS = sequence(SAMPLE);

test('cat prints one JSON event per line, seq and t first; --header adds the header first', () => {
  const r = cli(['cat', SAMPLE_FILE]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), EVENTS);
  assert.ok(lines.every((l) => l.startsWith('{"seq":')));
  const withHeader = cli(['cat', '--header', SAMPLE_FILE]).stdout.split('\n');
  assert.equal(JSON.parse(withHeader[0]!).header.format, 'greenlet-lens-trace');
  assert.equal(withHeader.length, lines.length + 2);
});

test('state prints the model state after event N, or the last', () => {
  const model = new TraceModel();
  model.appendAll(EVENTS);
  const at = cli(['state', SAMPLE_FILE, '--at', '17']);
  assert.equal(at.status, 0, at.stderr);
  assert.deepEqual(JSON.parse(at.stdout), model.stateAt(17));
  assert.deepEqual(JSON.parse(cli(['state', SAMPLE_FILE]).stdout), model.latest());
  const text = cli(['state', SAMPLE_FILE, '--at=17', '--text']).stdout;
  assert.match(text, /g3 producer\s+blocked on Queue#1\.put \(timeout 2\.5 s\) \[started\]/);
  assert.match(text, /Queue#1 \(Queue, maxsize 2\): \['a', 'b'\]\s+getters: -\s+putters: g3 producer/);
  assert.match(text, /Lock#1 \(Lock, capacity 1\): holders: g3 producer/);
});

test('stats counts kinds, greenlets, objects and says whether the trace is complete', () => {
  const r = cli(['stats', SAMPLE_FILE, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.events, 42);
  assert.equal(s.fileSize, full.length);
  assert.equal(s.status, 'complete');
  assert.equal(s.greenlets, 4);
  assert.deepEqual(s.objects, { total: 4, queue: 1, event: 2, lock: 1 });
  assert.equal(s.kinds.switch, 9);
  assert.equal(s.durationUs, 5028);
  assert.equal(s.exitCode, -3);
  assert.match(cli(['stats', SAMPLE_FILE]).stdout, /^status\s+complete$/m);
});

test('a truncated trace: output what was read, then an error and status 1', () => {
  const file = write('cut.glt', full.subarray(0, full.length - 20));
  const r = cli(['cat', file]);
  assert.equal(r.status, 1);
  assert.ok(r.stdout.trimEnd().split('\n').length > 30);
  assert.match(r.stderr, /^greenlet-lens: error: .*cut\.glt: This trace is truncated: it ends inside the chunk at byte \d+/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const stats = JSON.parse(cli(['stats', file, '--json']).stdout);
  assert.equal(stats.status, 'truncated');
  assert.equal(stats.problem.code, 'TruncatedChunk');
});

test('an incomplete trace (no end record) is read with a note and status 0', () => {
  const file = write('running.glt', sampleBytes(7, SAMPLE.slice(0, -1)));
  const r = cli(['state', file, '--text']);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /^greenlet-lens: note: .*no end record/);
});

test('bad input and bad usage give one error line and status 1 or 2', () => {
  const cases: [string[], number, RegExp][] = [
    [['cat', path.join(dir, 'missing.glt')], 1, /no such file/],
    [['stats', write('text.glt', 'hello world')], 1, /not a Greenlet Lens trace/],
    [['state', SAMPLE_FILE, '--at', '42'], 2, /--at 42: the trace has 42 events \(0\.\.41\)/],
    [['state', SAMPLE_FILE, '--at', '-1'], 2, /--at expects an event number/],
    [['cat'], 2, /missing trace FILE/],
    [['cat', SAMPLE_FILE, '--bogus'], 2, /unknown option --bogus/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [[], 2, /./],
  ];
  for (const [args, status, pattern] of cases) {
    const r = cli(args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    if (args.length > 0) assert.match(r.stderr, /^greenlet-lens: error: /);
    assert.match(r.stderr + r.stdout, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

/** A stand-in interpreter: "has gevent", copies a prepared trace to --output, logs its argv. */
function fakePython(): string {
  return write('fake-python', [
    '#!/bin/sh',
    ANSWER_PROBE,
    'printf "%s\\n" "$@" > "$FAKE_LOG"; echo "PYTHONPATH=$PYTHONPATH" >> "$FAKE_LOG"',
    'cp "$FAKE_TRACE" "$5"',
    'if [ -n "$FAKE_SIGNAL" ]; then kill -TERM $$; fi',
    'exit 3',
    '',
  ].join('\n'));
}

test('record runs PY -m greenlet_lens with the runtime on PYTHONPATH and returns the program status', () => {
  const py = fakePython();
  fs.chmodSync(py, 0o755);
  const log = path.join(dir, 'fake.log');
  const env = { FAKE_LOG: log, FAKE_TRACE: SAMPLE_FILE, PYTHONPATH: '/elsewhere' };
  const r = cli(['record', '--python', py, '--output', 'out.glt', 'app.py', '--flag', 'x'], env);
  assert.equal(r.status, 3, r.stderr);
  const argv = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
  const runtime = path.resolve(__dirname, '..', '..', '..', 'runtime-instrumentation');
  assert.deepEqual(argv, ['-m', 'greenlet_lens', 'record', '--output', path.join(fs.realpathSync(dir), 'out.glt'), '--', 'app.py', '--flag', 'x', `PYTHONPATH=${runtime}:/elsewhere`]);
  assert.match(r.stderr, new RegExp(`^greenlet-lens: recorded 42 events \\(${full.length} bytes\\) to out\\.glt \\(.*fake-python: Python 3\\.11\\.2 · gevent 22\\.10\\.2 · greenlet 2\\.0\\.2\\)$`, 'm'));

  cli(['record', '--python', py, '-m', 'pkg.tool', 'a'], env);
  const moduleArgv = fs.readFileSync(log, 'utf8').split('\n');
  assert.deepEqual(moduleArgv.slice(5, 8), ['-m', 'pkg.tool', 'a']);
  assert.match(moduleArgv[4]!, /greenlet-lens-\d{8}-\d{6}(-\d+)?\.glt$/, 'default output name');

  const killed = cli(['record', '--python', py, '-o', 'k.glt', 'app.py'], { ...env, FAKE_SIGNAL: '1' });
  assert.equal(killed.status, 128 + 15, 'a signal n gives 128+n');
});

test('record takes the first default Python with gevent, passing over one with greenlet only', () => {
  const bin = path.join(dir, 'bin-defaults');
  fs.mkdirSync(bin, { recursive: true });
  const fakePython3 = (answer: string) => fs.writeFileSync(path.join(bin, 'python3'), `#!/bin/sh\necho '${answer}'\n`, { mode: 0o755 });
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, GREENLET_LENS_PYTHON: '' };
  fakePython3(PROBE_ANSWER.replace('"gevent":"22.10.2"', '"gevent":null').replace('"compiled":true', '"compiled":null'));
  const passedOver = findPython(undefined, env);
  assert.deepEqual([passedOver.python, passedOver.tried.map((t) => t.command)], ['/usr/bin/python3', ['python3', '/usr/bin/python3']]);
  assert.notEqual(passedOver.info?.gevent, null);
  fakePython3(PROBE_ANSWER);
  const first = findPython(undefined, env);
  assert.deepEqual([first.python, first.info?.gevent, first.tried.length], ['python3', '22.10.2', 1]);
});

test('record without a usable Python names what was tried and how to install gevent', () => {
  const r = cli(['record', 'app.py'], { GREENLET_LENS_PYTHON: path.join(dir, 'no-such-python') });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no-such-python \(\$GREENLET_LENS_PYTHON\): not found/);
  assert.match(r.stderr, /sudo apt-get install python3-gevent/);
  assert.match(r.stderr, /python3 -m pip install gevent/);
});
