/**
 * The Python runtime and the TypeScript reader agree on the schema: a real
 * program that makes every event kind, every wait reason but `other` and
 * every wrapped object kind is recorded by the real runtime and read by the
 * schema-driven decoder, and what the trace says is checked against what
 * the program did (a wait's reason against the `# WAIT` comment of its line,
 * an object's okind against its class name, a greenlet's kind against how it
 * was made, exit flags against how it ended, queue contents against the
 * puts and gets). Then the same check runs on recordings made with a
 * deliberately altered copy of the generated _schema.py, one swap at a time,
 * and must fail for each: so a Python/TypeScript mismatch cannot go unseen.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { EVENT_KINDS, type EventKind } from '../../shared/trace/schema';
import { PROGRAMS, PYTHON, ROOT, describe, load, tmpFile } from './support';

const PROGRAM = path.join(PROGRAMS, 'every_kind.py');
const RUNTIME = path.join(ROOT, 'runtime-instrumentation');
/** `error` needs a hook to fail, which no correct program makes happen. */
const NOT_MADE: readonly EventKind[] = ['error'];

function recordWith(runtimeDir: string, extra: Record<string, string> = {}): string {
  const trace = tmpFile('every_kind.glt');
  const r = spawnSync(PYTHON, ['-m', 'greenlet_lens', 'record', '--output', trace, '--', PROGRAM], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PYTHONPATH: runtimeDir, PYTHONDONTWRITEBYTECODE: '1', ...extra },
  });
  assert.equal(r.status, 0, describe(r));
  assert.match(r.stdout, /done/);
  return trace;
}

/** Everything the trace says that disagrees with what every_kind.py did; empty when they agree. */
async function disagreements(trace: string): Promise<string[]> {
  const { read, events, last } = await load(trace);
  const problems: string[] = [];
  if (read.problem !== null) problems.push(`the trace is ${read.status}: ${read.problem.message}`);
  if (last.inconsistencies > 0) problems.push(`${last.inconsistencies} events do not fit the model (a put read as a get?)`);

  const seen = new Set(events.map((e) => e.kind));
  for (const kind of EVENT_KINDS) if (!seen.has(kind) && !NOT_MADE.includes(kind)) problems.push(`no ${kind} event`);

  const lines = fs.readFileSync(PROGRAM, 'utf8').split('\n');
  const marked = new Map<number, string>();
  lines.forEach((text, i) => {
    const m = /# WAIT (\w+)/.exec(text);
    if (m !== null) marked.set(i + 1, m[1]!);
  });
  const waited = new Set<number>();
  for (const e of events) {
    switch (e.kind) {
      case 'block': {
        if (e.site?.file !== PROGRAM) break;
        const expected = marked.get(e.site.line);
        if (expected !== e.reason) problems.push(`line ${e.site.line} waits for ${expected ?? 'nothing'}, the trace says ${e.reason}`);
        else waited.add(e.site.line);
        break;
      }
      case 'object':
        // gevent >= 25.4 makes JoinableQueue an alias of Queue: the recorder names it by the call that made it.
        if (e.type !== e.okind && !(e.type === 'Queue' && e.okind === 'JoinableQueue')) problems.push(`object ${e.obj} (class ${e.type}) is recorded as ${e.okind}`);
        break;
      case 'spawn': {
        const expected = e.g === 1 ? 'main' : e.func === 'Hub.run' ? 'hub' : e.func === '' ? 'greenlet' : 'gevent';
        if (e.gkind !== expected) problems.push(`g${e.g} (${e.func || 'a plain greenlet'}) is a ${expected} greenlet, the trace says ${e.gkind}`);
        break;
      }
      case 'exit': {
        const f = e.flags;
        const killed = e.value.includes('GreenletExit');
        const failed = e.error !== '';
        if (!f.started || !f.ready) problems.push(`g${e.g} exited neither started nor ready: ${JSON.stringify(f)}`);
        if (f.killed !== killed) problems.push(`g${e.g} ${killed ? 'was' : 'was not'} killed, the trace's flags say ${JSON.stringify(f)}`);
        if (f.successful === failed) problems.push(`g${e.g} ${failed ? 'failed' : 'succeeded'}, the trace's flags say ${JSON.stringify(f)}`);
        break;
      }
      default:
        break;
    }
  }
  for (const line of marked.keys()) if (!waited.has(line)) problems.push(`no wait recorded at line ${line} (${marked.get(line)})`);

  const queue = (type: string) => last.queues.find((q) => q.className === type);
  if (queue('LifoQueue')?.items.join() !== '1') problems.push(`the LifoQueue holds [${queue('LifoQueue')?.items.join() ?? '?'}], not [1]`);
  if (queue('PriorityQueue')?.items.length !== 2) problems.push(`the PriorityQueue holds [${queue('PriorityQueue')?.items.join() ?? '?'}], not two items`);
  const results = last.events.filter((e) => e.type === 'AsyncResult');
  if (!results.some((r) => r.value === '42')) problems.push('no AsyncResult holds 42');
  if (!results.some((r) => r.exception?.includes('nope') === true)) problems.push('no AsyncResult holds the KeyError');
  if (last.events.find((e) => e.type === 'Event')?.set !== false) problems.push('the Event is not clear at the end');
  if (last.locks.some((l) => l.holders.length > 0)) problems.push('a lock is still held at the end');
  if (last.marks[0]?.label !== 'every-kind') problems.push('the mark is missing');
  if (last.end?.code !== 0) problems.push(`the end record says exit code ${String(last.end?.code)}`);
  return problems;
}

test('every event kind the runtime writes reads back as what the program did', async () => {
  assert.deepEqual(await disagreements(recordWith(RUNTIME)), []);
});

/** A copy of the runtime whose generated constants have two values swapped. */
function alteredRuntime(a: string, b: string): string {
  const dir = tmpFile(`runtime-${a}-${b}`);
  fs.cpSync(path.join(RUNTIME, 'greenlet_lens'), path.join(dir, 'greenlet_lens'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
  const file = path.join(dir, 'greenlet_lens', '_schema.py');
  const text = fs.readFileSync(file, 'utf8');
  const value = (name: string): string => {
    const m = new RegExp(`^${name} = (\\S+)$`, 'm').exec(text);
    assert.ok(m !== null, `${name} in _schema.py`);
    return m[1]!;
  };
  const [va, vb] = [value(a), value(b)];
  fs.writeFileSync(file, text.replace(new RegExp(`^${a} = \\S+$`, 'm'), `${a} = ${vb}`).replace(new RegExp(`^${b} = \\S+$`, 'm'), `${b} = ${va}`));
  return dir;
}

const SWAPS: readonly (readonly [string, string, RegExp])[] = [
  ['T_PUT', 'T_GET', /do not fit the model|holds/],
  ['R_QGET', 'R_QPUT', /waits for queue_get, the trace says queue_put/],
  ['O_EVENT', 'O_RESULT', /\(class Event\) is recorded as AsyncResult/],
  ['G_HUB', 'G_GEVENT', /is a hub greenlet, the trace says gevent/],
  ['EXIT_SUCCESSFUL', 'EXIT_KILLED', /flags say/],
];

for (const [a, b, expected] of SWAPS) {
  test(`a runtime whose ${a} and ${b} are swapped is caught`, async () => {
    // The altered constants are _schema.py's: recorded by the pure-Python recorder (the
    // compiled core's come from _schema.h, whose staleness gen-schema --check catches).
    const problems = await disagreements(recordWith(alteredRuntime(a, b), { GREENLET_LENS_PURE: '1' }));
    assert.ok(problems.some((p) => expected.test(p)), `expected a problem matching ${expected}, got:\n${problems.join('\n')}`);
  });
}
