import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterErrorId } from '../../debug-adapter/errors';
import { PROGRAMS, PYTHON, ROOT, cli, dapTest, tmpFile, type Dap } from './support';

const WORKERS = path.join(PROGRAMS, 'dap_workers.py');
const ARGV_EXIT = path.join(PROGRAMS, 'argv_exit.py');

async function launchError(dap: Dap, args: object): Promise<{ id: number | undefined; message: string }> {
  const r = await dap.request('launch', args);
  assert.equal(r.success, false, `launch should fail: ${JSON.stringify(args)}`);
  const error = (r.body as { error?: DebugProtocol.Message } | undefined)?.error;
  assert.equal(error?.showUser, true);
  return { id: error?.id, message: r.message ?? '' };
}

function script(name: string, body: string): string {
  const file = tmpFile(name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

dapTest('a bad launch configuration is refused with a named error and a clear message', async (dap) => {
  await dap.client.initializeRequest();
  let e = await launchError(dap, { program: path.join(PROGRAMS, 'missing.py'), python: PYTHON });
  assert.equal(e.id, AdapterErrorId.ProgramNotFound);
  assert.match(e.message, /"program" ".*missing\.py" does not exist/);
  e = await launchError(dap, { python: PYTHON });
  assert.equal(e.id, AdapterErrorId.NoTarget);
  e = await launchError(dap, { program: WORKERS, module: 'x', python: PYTHON });
  assert.equal(e.id, AdapterErrorId.NoTarget);
  e = await launchError(dap, { program: WORKERS, cwd: '/nonexistent-dir' });
  assert.equal(e.id, AdapterErrorId.CwdNotFound);
  e = await launchError(dap, { program: WORKERS, args: 'not-a-list' });
  assert.equal(e.id, AdapterErrorId.InvalidConfig);
  assert.match(e.message, /"args" must be an array of strings/);
  e = await launchError(dap, { program: WORKERS, python: '/nonexistent/python3' });
  assert.equal(e.id, AdapterErrorId.PythonNotFound);
});

dapTest('a Python without gevent and greenlet is refused, naming the install commands', async (dap) => {
  const noGevent = script('python-without-gevent', 'exec /usr/bin/python3 -S "$@"');
  await dap.client.initializeRequest();
  const e = await launchError(dap, { program: WORKERS, python: noGevent });
  assert.equal(e.id, AdapterErrorId.GeventMissing);
  assert.match(e.message, /cannot import gevent, nor greenlet/);
  assert.match(e.message, /sudo apt-get install python3-gevent/);
  assert.ok(e.message.includes(`${noGevent} -m pip install gevent`), e.message);
});

dapTest('a runtime that dies before connecting: the error says so and shows its stderr', async (dap) => {
  // Passes the gevent check (python -c ...), then fails as a broken runtime would.
  const broken = script('python-broken', 'if [ "$1" = "-c" ]; then exec /usr/bin/python3 "$@"; fi\necho "runtime exploded: $*" >&2\nexit 4');
  await dap.client.initializeRequest();
  const e = await launchError(dap, { program: WORKERS, python: broken });
  assert.equal(e.id, AdapterErrorId.ExitedBeforeConnect);
  assert.match(e.message, /exited with status 4 before the Greenlet Lens runtime connected/);
  assert.match(e.message, /runtime exploded: -m greenlet_lens debug -- /);
  assert.match(dap.output('stderr'), /runtime exploded/);
});

dapTest('the exit status, argv and both output streams reach the client', async (dap) => {
  await dap.begin('launch', { program: ARGV_EXIT, args: ['a b', '--c'], python: PYTHON, cwd: ROOT });
  const exited = await dap.next<DebugProtocol.ExitedEvent>('exited');
  assert.equal(exited.body.exitCode, 3);
  await dap.next('terminated');
  const seen = JSON.parse(dap.output('stdout').trim().split('\n')[0]!) as { argv: string[]; name: string };
  assert.deepEqual(seen.argv, [ARGV_EXIT, 'a b', '--c']);
  assert.equal(seen.name, '__main__');
  assert.match(dap.output('stderr'), /to stderr/);
  const order = dap.all.map((e) => e.event).filter((n) => n === 'exited' || n === 'terminated');
  assert.deepEqual(order, ['exited', 'terminated']);
  assert.doesNotMatch(dap.output('stderr'), /Greenlet Lens:/, 'a normal exit is not reported as a problem');
  assert.match(dap.output('console'), /^Greenlet Lens: Python 3\.\d+\.\d+ · gevent \S+( \(pure Python\))? · greenlet \S+$/m, 'the console says what the program runs on');
});

dapTest('with "trace" the session leaves a trace that greenlet-lens stats reads', async (dap) => {
  const trace = tmpFile('session.glt');
  await dap.begin('launch', { program: WORKERS, python: PYTHON, cwd: ROOT, trace });
  assert.equal((await dap.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode, 0);
  await dap.next('terminated');
  const stats = cli(['stats', trace]);
  assert.equal(stats.status, 0, stats.stderr);
  assert.match(stats.stdout, /status\s+complete/);
  assert.match(stats.stdout, /greenlets\s+6/);
});

dapTest('time stopped at a breakpoint is left out of the trace: the timeline shows the program, not the pause', async (dap) => {
  const trace = tmpFile('paused.glt');
  const line = fs.readFileSync(WORKERS, 'utf8').split('\n').findIndex((l) => l.includes('# BREAK')) + 1;
  await dap.begin('launch', { program: WORKERS, python: PYTHON, cwd: ROOT, trace }, { breakpoints: [{ path: WORKERS, lines: [line] }] });
  const stop = await dap.nextStop();
  await new Promise((r) => setTimeout(r, 1500));
  await dap.client.setBreakpointsRequest({ source: { path: WORKERS }, breakpoints: [] });
  await dap.request('continue', { threadId: stop.body.threadId });
  assert.equal((await dap.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode, 0);
  await dap.next('terminated');
  const seconds = (JSON.parse(cli(['stats', '--json', trace]).stdout) as { durationUs: number }).durationUs / 1e6;
  // The program alone runs in well under a second; with the 1.5 s pause it would last longer than that.
  assert.ok(seconds < 1.5, `the trace lasts ${seconds} s: the pause was counted`);
});

dapTest('terminate ends a program stopped at a breakpoint, and its process group', async (dap) => {
  const line = fs.readFileSync(WORKERS, 'utf8').split('\n').findIndex((l) => l.includes('# BREAK')) + 1;
  await dap.begin('launch', { program: WORKERS, python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: WORKERS, lines: [line] }] });
  await dap.nextStop();
  const t0 = Date.now();
  const r = await dap.request('terminate');
  assert.ok(r.success, r.message);
  await dap.next('terminated');
  assert.ok(Date.now() - t0 < 5000, `terminated after ${Date.now() - t0} ms`);
});

dapTest('launch refuses a runtime that cannot prove the secret, or another pid than the started process', async (dap) => {
  // Passes the gevent check, then runs a stand-in runtime on the inherited socket pair.
  const fake = script('python-fake-hello', `if [ "$1" = "-c" ]; then exec /usr/bin/python3 "$@"; fi\nexec /usr/bin/python3 ${path.join(PROGRAMS, 'fake_hello.py')}`);
  await dap.client.initializeRequest();
  let e = await launchError(dap, { program: WORKERS, python: fake, env: { GL_FAKE: 'noproof' } });
  assert.equal(e.id, AdapterErrorId.HandshakeFailed);
  assert.match(e.message, /could not prove it knows the secret/);
  e = await launchError(dap, { program: WORKERS, python: fake, env: { GL_FAKE: 'otherpid' } });
  assert.equal(e.id, AdapterErrorId.HandshakeFailed);
  assert.match(e.message, /the runtime that answered is pid \d+, not the program the adapter started/);
});

dapTest('a launch session opens no port: the channel is a socket pair only the program inherits', async (dap) => {
  // The moment another local user could race for a port is while the program starts: the
  // stand-in interpreter looks at the adapter's sockets then, before the runtime runs.
  const seen = tmpFile('adapter-sockets.json');
  const probe = tmpFile('probe.py');
  fs.writeFileSync(probe, LISTENING_PROBE);
  const python = script('python-probe', `if [ "$1" = "-c" ]; then exec ${PYTHON} "$@"; fi\n${PYTHON} ${probe} $PPID > ${seen}\nexec ${PYTHON} "$@"`);
  await dap.begin('launch', { program: WORKERS, python, cwd: ROOT, stopOnEntry: true });
  await dap.nextStop();
  const atStart = JSON.parse(fs.readFileSync(seen, 'utf8')) as { pid: number; listening: string[] };
  assert.equal(atStart.pid, dap.adapterPid(), 'the probe looked at the adapter');
  assert.deepEqual(atStart.listening, [], 'the adapter listened on no TCP port while the program started');
  const adapterPid = dap.adapterPid();
  const listening = listeningInodes();
  const ours = fs.readdirSync(`/proc/${adapterPid}/fd`).map((fd) => {
    try { return fs.readlinkSync(`/proc/${adapterPid}/fd/${fd}`); } catch { return ''; }
  }).filter((l) => l.startsWith('socket:[')).map((l) => l.slice(8, -1));
  assert.deepEqual(ours.filter((inode) => listening.has(inode)), [], 'the adapter listens on no TCP port');
});

/** Python: the listening TCP sockets (address:port, hex as in /proc/net) of process argv[1], as JSON. */
const LISTENING_PROBE = `import json, os, sys
pid = int(sys.argv[1])
inodes = set()
for fd in os.listdir("/proc/%d/fd" % pid):
    try:
        link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
    except OSError:
        continue
    if link.startswith("socket:["):
        inodes.add(link[8:-1])
listening = []
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        lines = open(table).read().splitlines()[1:]
    except OSError:
        continue
    for line in lines:
        f = line.split()
        if f[3] == "0A" and f[9] in inodes:
            listening.append(f[1])
print(json.dumps({"pid": pid, "listening": listening}))
`;

/** Inodes of listening TCP sockets (IPv4 and IPv6), from /proc/net. */
function listeningInodes(): Set<string> {
  const out = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try { text = fs.readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A') out.add(f[9]!);
    }
  }
  return out;
}

