/**
 * record --follow-children: new Pythons the program starts (subprocess,
 * multiprocessing's spawn) record into run.glt.d/<pid>.glt too, as "started
 * by" their parent, and run as they would unrecorded; without the option
 * they are left alone.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertChildTrace, byFunc, CLI, cli, describe, load, plainAsync, PROGRAMS, PYTHON, ROOT, runAsync, tmpFile } from './support';

const PROGRAM = path.join(PROGRAMS, 'spawn_children.py');
const CHILD = path.join(PROGRAMS, 'spawned_child.py');

function recordFollowing(follow: string[]) {
  const trace = tmpFile('spawn_children.glt');
  return runAsync(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, ...follow, '--', PROGRAM])
    .then((r) => ({ ...r, trace }));
}

/** The pids the program printed after `role`. */
function pids(stdout: string, role: string): number[] {
  return [...stdout.matchAll(new RegExp(`^${role} (\\d+)`, 'gm'))].map((m) => Number(m[1]));
}

test('record --follow-children: a subprocess running gevent and each spawn-Pool worker that ran tasks record their own trace, started by the program; they run as without the recorder', async () => {
  const [r, plain] = await Promise.all([recordFollowing(['--follow-children']), plainAsync(PROGRAM)]);
  assert.equal(r.status, 0, describe(r));
  // The children see what they would alone: the same sitecustomize (Debian's, or
  // none), the same sys.path but the runtime's folder `record` puts first, as for
  // the program itself; pids aside, and which workers got tasks.
  const same = (s: string): string => s.replace(/^workers .*$/m, 'workers').replace(/\d{2,}/g, 'N').replaceAll(`'${path.join(ROOT, 'runtime-instrumentation')}', `, '');
  assert.equal(same(r.stdout), same(plain.stdout));
  assert.match(r.stdout, /^sums 30 60 90 120 150 180$/m);
  assert.match(r.stdout, /^failed child status 1$/m);

  const parent = pids(r.stdout, 'parent')[0]!;
  const [child, failed] = pids(r.stdout, 'child');
  const workers = /^workers (.*)$/m.exec(r.stdout)![1]!.split(' ').map(Number);
  const folder = `${r.trace}.d`;
  // multiprocessing's resource tracker and any worker that got no task never ran a greenlet: no trace.
  assert.deepEqual(fs.readdirSync(folder).sort(), [child!, failed!, ...workers].map((p) => `${p}.glt`).sort());

  const lines = r.stderr.split('\n').filter((l) => l.startsWith('greenlet-lens: recorded'));
  assert.equal(lines.length, 3 + workers.length, r.stderr);
  assert.ok(lines.some((l) => l.includes(`of process ${child}, started by ${parent} to ${path.join(folder, `${child}.glt`)}`)), r.stderr);

  const c = await assertChildTrace(path.join(folder, `${child}.glt`), { pid: child!, parentPid: parent, parentTrace: path.basename(r.trace), startedBy: 'spawn' });
  assert.deepEqual(c.read.header!.argv, [CHILD, '3']);
  assert.deepEqual(byFunc(c.last, 'work').map((g) => [g.name, g.state]), [['job-0', 'dead_ok'], ['job-1', 'dead_ok'], ['job-2', 'dead_ok']]);
  assert.equal(c.last.end?.code, 0);

  // An uncaught exception in a spawned child: its end says 1 and main died of it.
  const f = await load(path.join(folder, `${failed}.glt`));
  assert.equal(f.last.end?.code, 1);
  const died = f.events.find((e) => e.kind === 'exception' && e.g === 1);
  assert.ok(died && died.kind === 'exception' && died.type === 'ValueError', 'main\'s exception is recorded');

  let fetches = 0;
  for (const pid of workers) {
    const w = await load(path.join(folder, `${pid}.glt`));
    assert.equal(w.read.header!.startedBy, 'spawn');
    assert.equal(w.read.header!.parentPid, parent);
    assert.equal(w.read.status, 'complete', `worker ${pid}`);
    const done = byFunc(w.last, 'fetch');
    assert.ok(done.length > 0 && done.every((g) => g.state === 'dead_ok'), `worker ${pid} ran fetch greenlets`);
    fetches += done.length;
  }
  // Six tasks of three greenlets each, split between the workers.
  assert.equal(fetches, 18);

  const stats = cli(['stats', r.trace]);
  assert.match(stats.stdout, new RegExp(`pid ${child}, started by ${parent}`));
});

test('without --follow-children a spawned Python is not recorded, and the program runs the same', async () => {
  const r = await recordFollowing([]);
  assert.equal(r.status, 0, describe(r));
  assert.match(r.stdout, /^sums 30 60 90 120 150 180$/m);
  const folder = `${r.trace}.d`;
  assert.deepEqual(fs.existsSync(folder) ? fs.readdirSync(folder) : [], []);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('greenlet-lens: recorded')).length, 1, r.stderr);
});
