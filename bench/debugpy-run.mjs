// The "debugpy" variant of npm run bench: the anchor users have today.
// Debian's debugpy runs the program in its gevent mode (GEVENT_SUPPORT=True),
// a DAP client attaches over TCP with no breakpoints, justMyCode on.
// Timed from spawning the program to its exit.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const TIMEOUT = 180_000;
const DEBUGPY_PYTHON = '/usr/bin/python3';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Connects to 127.0.0.1:port, retrying until debugpy listens (or the deadline / the process dies). */
async function connectWithRetry(port, deadline, dead) {
  for (;;) {
    if (dead()) throw new Error('debugpy exited before accepting a client');
    const sock = await new Promise((resolve) => {
      const s = net.createConnection(port, '127.0.0.1');
      s.once('connect', () => { s.removeAllListeners('error'); resolve(s); });
      s.once('error', () => { s.destroy(); resolve(null); });
    });
    if (sock) return sock;
    if (performance.now() > deadline) throw new Error(`debugpy did not listen on port ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether debugpy can be imported by /usr/bin/python3 (a reason string if not). */
export async function debugpyProblem() {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(DEBUGPY_PYTHON, ['-c', 'import debugpy; print(debugpy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? null : `cannot import debugpy with ${DEBUGPY_PYTHON}: ${(r.stderr || '').trim().split('\n').pop()}`;
}

/** Runs `program args` under debugpy with a DAP client attached; resolves to { ms }. */
export async function runDebugpy(root, program, args) {
  const port = await freePort();
  let stderr = '';
  const t0 = performance.now();
  const child = spawn(DEBUGPY_PYTHON, ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`, '--wait-for-client',
    '--configure-subProcess', 'false', program, ...args], {
    cwd: root,
    env: { ...process.env, GEVENT_SUPPORT: 'True', PYDEVD_DISABLE_FILE_VALIDATION: '1', PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  let exit = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { exit = { code, signal, ms: performance.now() - t0 }; resolve(exit); }));
  const client = new DebugClient('unused', 'unused', 'python');
  client.defaultTimeout = TIMEOUT;
  let sock;
  try {
    sock = await connectWithRetry(port, t0 + 30_000, () => exit !== null);
    client.connect(sock, sock);
    await client.initializeRequest({ clientID: 'bench', adapterID: 'python', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = client.waitForEvent('initialized', TIMEOUT);
    const attach = client.send('attach', { justMyCode: true });
    await initialized;
    await client.configurationDoneRequest();
    await attach;
    const timer = new Promise((_, reject) => setTimeout(() => reject(new Error('timed out waiting for exit')), TIMEOUT).unref());
    const e = await Promise.race([exited, timer]);
    if (e.code !== 0) throw new Error(`exit code ${e.code} signal ${e.signal}`);
    return { ms: e.ms };
  } catch (err) {
    if (exit === null) child.kill('SIGKILL');
    throw new Error(`debugpy run of ${program} failed: ${err.message}\n${stderr.slice(-2000)}`, { cause: err });
  } finally {
    sock?.destroy();
  }
}
