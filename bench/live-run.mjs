// The "live" variant of npm run bench: the program run through the real debug
// adapter (node dist/adapter.js, DAP over stdio) as a VS Code session would,
// with no breakpoints and no exception filters, its greenletTrace stream
// consumed (decoded, as the board does). Timed from just before the launch request to the exited event.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const { TraceDecoder } = require('../out/shared/trace/decoder.js');

const TIMEOUT = 120_000;

/** VmHWM (peak resident set) of a running process, in kB, or null. */
export function peakRssKb(pid) {
  if (!pid) return null;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

/** CPU time (user + system) a running process has used so far, in ms, or null. */
export function cpuMs(pid) {
  if (!pid) return null;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch { return null; }
}

/**
 * Runs `program args` live; resolves to { ms, batches, events, dropped,
 * adapterPeakRssKb, adapterCpuMs, ready }. With `opts.ready` (a string) and `opts.whenReady`
 * (async (client) => result), the latter runs once the program prints the
 * former; its result is returned as `ready`.
 */
export async function runLive(root, python, program, args, opts = {}) {
  const client = new DebugClient('node', join(root, 'dist', 'adapter.js'), 'greenlet', {
    cwd: root, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  client.defaultTimeout = TIMEOUT;
  const stats = { batches: 0, events: 0, bytes: 0, dropped: 0 };
  const decoder = new TraceDecoder();
  // What the runtime wrote and the client did not get: its end record counts
  // the switches it saw, the stream's switch events are what arrived.
  let switches = 0, end = null;
  client.on('greenletTrace', (e) => {
    const bytes = Buffer.from(e.body.data, 'base64');
    stats.batches += 1;
    stats.bytes += bytes.length;
    for (const ev of decoder.push(bytes)) {
      stats.events += 1;
      if (ev.kind === 'switch') switches += 1;
      else if (ev.kind === 'end') end = ev;
    }
  });
  let readyPromise = null;
  if (opts.ready) {
    let out = '';
    client.on('output', (e) => {
      if (readyPromise || e.body.category !== 'stdout') return;
      out += e.body.output;
      if (out.includes(opts.ready)) { readyPromise = opts.whenReady(client); readyPromise.catch(() => undefined); }
    });
  }
  let stderr = '';
  await client.start();
  client._adapterProcess?.stderr?.on('data', (d) => (stderr += d.toString()));
  try {
    await client.initializeRequest({ adapterID: 'greenlet', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const exited = client.waitForEvent('exited', TIMEOUT);
    const initialized = client.waitForEvent('initialized', TIMEOUT);
    const t0 = performance.now();
    const launch = await client.send('launch', {
      program, args, python, cwd: root, blockedLoopMs: 0, stopOnEntry: false,
    });
    if (!launch.success) throw new Error(`launch failed: ${launch.message}`);
    await initialized;
    await client.setExceptionBreakpointsRequest({ filters: [] });
    await client.configurationDoneRequest();
    const e = await exited;
    const ms = performance.now() - t0;
    // The adapter is still running: its high-water mark covers the whole session.
    const adapterPeakRssKb = peakRssKb(client._adapterProcess?.pid);
    const adapterCpuMs = cpuMs(client._adapterProcess?.pid);
    if (e.body.exitCode !== 0) throw new Error(`exit code ${e.body.exitCode}`);
    // The end record is the stream's last bytes: flushed before the exited event, so it is in by now.
    if (decoder.problem) throw new Error(`the live stream is unreadable: ${decoder.problem.message}`);
    if (end === null) throw new Error('the live stream has no end record: its last events never reached the client');
    stats.dropped = end.switches - switches;
    if (opts.ready && !readyPromise) throw new Error(`the program never printed ${JSON.stringify(opts.ready)}`);
    const ready = readyPromise ? await readyPromise : undefined;
    return { ms, ...stats, adapterPeakRssKb, adapterCpuMs, ready };
  } catch (err) {
    throw new Error(`live run of ${program} failed: ${err.message}\n${stderr}`, { cause: err });
  } finally {
    await Promise.race([client.stop(), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
  }
}
