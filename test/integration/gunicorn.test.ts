/**
 * A real multi-process gevent server under `greenlet-lens record`: gunicorn
 * with the gevent worker and two workers serving a Flask app. Each request
 * shows in the trace of the worker that answered it. Runs where the stack's
 * Python has gunicorn and Flask (Debian's, installed by scripts/setup.sh, or
 * scripts/servers.mjs's for the other stacks; else skipped, saying why).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { BlockEvent } from '../../shared/trace/events';
import { CLI, load, PROGRAMS, PYTHON, ROOT, tmpFile } from './support';
import { httpGet, serverStack } from '../support/stacks';

const { missing: MISSING, env: SERVER_ENV } = serverStack(PYTHON);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('gunicorn -k gevent -w 2 with a Flask app: every worker records its own trace, and each request is a greenlet in the trace of the worker that served it', { skip: MISSING ?? false }, async () => {
  const trace = tmpFile('gunicorn.glt');
  const child = spawn(process.execPath, [CLI, 'record', '--python', PYTHON, '--output', trace, '-m', 'gunicorn',
    '-k', 'gevent', '-w', '2', '-b', '127.0.0.1:0', '--chdir', PROGRAMS, 'flask_app:app'], {
    cwd: ROOT, env: { ...process.env, ...SERVER_ENV, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const booted = new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const port = /Listening at: http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (port && (stderr.match(/Booting worker with pid/g) ?? []).length >= 2) resolve(Number(port[1]));
    });
    child.on('exit', () => reject(new Error(`gunicorn ended before it served:\n${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  try {
    const port = await booted;
    // Requests in batches until both workers have answered (the kernel picks
    // which accepts; a worker logs "Booting" before it is ready to, and a
    // loaded machine may keep one from accepting for seconds).
    const served = new Map<number, number>();
    for (let batch = 0; batch < 80 && served.size < 2; batch++) {
      if (batch > 0) await new Promise((r) => setTimeout(r, 250));
      const bodies = await Promise.all(Array.from({ length: 6 }, () => httpGet(port, '/hello')));
      for (const body of bodies) {
        const pid = Number(/^served by (\d+)$/m.exec(body)?.[1]);
        assert.ok(pid > 0, `unexpected response ${JSON.stringify(body)}`);
        served.set(pid, (served.get(pid) ?? 0) + 1);
      }
    }
    child.kill('SIGTERM');
    const status = await exited;
    assert.equal(status, 0, `status ${status}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);

    const master = (await load(trace)).read.header!.pid;
    const workers = [...stderr.matchAll(/Booting worker with pid: (\d+)/g)].map((m) => Number(m[1]));
    assert.equal(workers.length, 2, stderr);
    // Stop left nothing behind.
    for (const pid of [master, ...workers]) assert.ok(!alive(pid), `process ${pid} outlived the recording`);
    // record's last lines: one per process.
    const lines = stderr.split('\n').filter((l) => l.startsWith('greenlet-lens: recorded'));
    assert.equal(lines.length, 3, stderr);
    for (const pid of workers) assert.ok(lines.some((l) => l.includes(`of process ${pid}, forked from ${master}`)), stderr);

    for (const pid of workers) {
      const w = await load(path.join(`${trace}.d`, `${pid}.glt`));
      assert.equal(w.read.status, 'complete', `worker ${pid}: ${w.read.problem?.message}`);
      assert.equal(w.read.header!.parentPid, master);
      assert.equal(w.last.end?.code, 0);
      const blocks = w.events.filter((e): e is BlockEvent => e.kind === 'block');
      // The view's gevent.sleep, once per request this worker answered.
      const inView = blocks.filter((b) => b.reason === 'sleep' && b.site?.function === 'hello' && b.site.file.endsWith('flask_app.py'));
      assert.equal(inView.length, served.get(pid) ?? 0, `worker ${pid} served ${served.get(pid) ?? 0} requests`);
      // ... in the greenlet gevent's server spawned for the connection, inside Flask's dispatch.
      for (const b of inView) {
        assert.ok(b.stack.some((f) => f.function.endsWith('dispatch_request')), `worker ${pid}: not in Flask's dispatch: ${JSON.stringify(b.stack)}`);
        const view = w.last.greenlets.find((x) => x.id === b.g)!;
        assert.equal(view.func, '_handle_and_close_when_done');
        assert.equal(view.gkind, 'gevent');
        assert.equal(view.state, 'dead_ok');
      }
    }
    assert.equal(served.size, 2, `both workers answered: ${JSON.stringify([...served])}`);
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
