// Memory over time (issue 12): the adapter on a busy program that never
// ends, the recorder over a million short-lived greenlets, and
// `greenlet-lens state` on the trace of those million. Sizes from the
// environment: BENCH_SOAK_SECONDS (600), BENCH_GREENLETS (1000000).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { createRequire } from 'node:module';
const { TraceDecoder } = createRequire(import.meta.url)('../out/shared/trace/decoder.js');

const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Least-squares slope of [t s, mb] points, in MB per minute. */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((s, p) => s + p[0], 0) / n, mm = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mt) * (p[1] - mm), 0);
  const den = points.reduce((s, p) => s + (p[0] - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

async function adapterSoak(root, seconds) {
  const dc = new DebugClient('node', join(root, 'dist', 'adapter.js'), 'greenlet');
  await dc.start();
  const pid = dc._adapterProcess.pid;
  let events = 0;
  const decoder = new TraceDecoder();
  dc.on('greenletTrace', (e) => (events += decoder.push(Buffer.from(e.body.data, 'base64')).length));
  let stops = 0;
  // A stopped program streams nothing and the adapter's memory would look flat for the wrong
  // reason: the watchdog is off (blockedLoopMs 0), and any other stop is counted and continued.
  dc.on('stopped', (e) => {
    stops++;
    void dc.continueRequest({ threadId: e.body.threadId ?? 1 }).catch(() => undefined);
  });
  let exited = null;
  dc.on('exited', (e) => (exited = e.body.exitCode));
  await dc.initializeRequest();
  await dc.launch({ program: join(root, 'bench', 'workloads', 'busy_forever.py'), python: PY, cwd: root, blockedLoopMs: 0 });
  await dc.configurationDoneRequest();
  const samples = [];
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000 && exited === null) {
    await new Promise((r) => setTimeout(r, Math.min(5000, seconds * 100)));
    samples.push([(Date.now() - t0) / 1000, rssMb(pid), events]);
  }
  const exitedEarly = exited;
  await dc.terminateRequest().catch(() => undefined);
  await dc.stop().catch(() => undefined);
  if (exitedEarly !== null) throw new Error(`the busy program exited (${exitedEarly}) after ${samples.at(-1)?.[0] ?? 0} s`);
  const second = samples.slice(Math.floor(samples.length / 2));
  // Events per second in each tenth of the run: a stream that stalls shows here.
  const tenths = [];
  let prev = [0, 0, 0];
  for (let i = 1; i <= 10; i++) {
    const end = samples.filter((x) => x[0] <= (i * seconds) / 10 + 0.5).at(-1) ?? prev;
    tenths.push(end[0] > prev[0] ? Math.round((end[2] - prev[2]) / (end[0] - prev[0])) : 0);
    prev = end;
  }
  return {
    seconds, events, stops, first: samples[0][1], last: samples.at(-1)[1], peak: Math.max(...samples.map((s) => s[1])),
    slopeSecondHalf: slope(second.map(([t, mb]) => [t, mb])), rssOverTime: samples.map(([t, mb]) => [Math.round(t), Number(mb.toFixed(1))]),
    eventsPerSecondByTenth: tenths,
  };
}

function recorderRss(root, n, trace) {
  const run = (args, env) => {
    const r = spawnSync(args[0], args.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
    return [...r.stderr.matchAll(/^rss (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2]) / 1024]);
  };
  const w = join(root, 'bench', 'workloads', 'short_lived.py');
  const plain = run([PY, w, String(n)], {});
  const recorded = run([PY, '-m', 'greenlet_lens', 'record', '--output', trace, '--', w, String(n)], { PYTHONPATH: join(root, 'runtime-instrumentation') });
  return { n, plain, recorded };
}

function statePeak(root, trace, text) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, join(root, 'dist', 'cli.js'), 'state', trace, ...(text ? ['--text'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /(\d+) ([\d.]+)\s*$/.exec(r.stderr);
  return { status: r.status, peakMb: m ? Number(m[1]) / 1024 : null, seconds: m ? Number(m[2]) : null };
}

export async function measureMemory(root, tmpDir) {
  const seconds = Number(process.env.BENCH_SOAK_SECONDS || 600);
  const n = Number(process.env.BENCH_GREENLETS || 1000000);
  const trace = join(tmpDir, 'short-lived.glt');
  const soak = await adapterSoak(root, seconds);
  const recorder = recorderRss(root, n, trace);
  const state = { json: statePeak(root, trace, false), text: statePeak(root, trace, true) };
  rmSync(trace, { force: true });
  return { soak, recorder, state };
}

/** One sample a minute (the first at or after each whole minute), and the last. */
function everyMinute(samples) {
  const out = [];
  let next = 0;
  for (const [t, mb] of samples) {
    if (t >= next) {
      out.push([t, mb]);
      next = (Math.floor(t / 60) + 1) * 60;
    }
  }
  if (samples.length > 0 && out.at(-1) !== samples.at(-1)) out.push(samples.at(-1));
  return out;
}

const f = (x) => (x === null || x === undefined ? '-' : x.toFixed(1));

export function renderMemory(m) {
  if (!m) return '';
  const r = m.recorder;
  const rows = r.recorded.map(([done, mb], i) => `| ${done} | ${f(r.plain[i]?.[1])} | ${f(mb)} |`).join('\n');
  return `## Memory over time (issue 12)

*Adapter*: \`bench/workloads/busy_forever.py\` (two greenlets passing messages through queues without pause, and 50 short-lived request greenlets every millisecond) debugged live through \`node dist/adapter.js\` for ${m.soak.seconds} s (\`BENCH_SOAK_SECONDS\`, blocked-loop watchdog off), its \`greenletTrace\` consumed and decoded; the adapter's VmRSS sampled every 5 s. ${m.soak.events} events streamed (per second, by tenth of the run: ${(m.soak.eventsPerSecondByTenth ?? []).join(', ')}); ${m.soak.stops ?? 0} stops.

| adapter RSS first MB | last MB | peak MB | slope over the second half, MB/min |
|---|---|---|---|
| ${f(m.soak.first)} | ${f(m.soak.last)} | ${f(m.soak.peak)} | ${m.soak.slopeSecondHalf.toFixed(2)} |

Adapter RSS over time: ${everyMinute(m.soak.rssOverTime ?? []).map(([t, mb]) => `${t} s ${mb} MB`).join(', ')}.

*Recorder*: \`bench/workloads/short_lived.py ${r.n}\` (short-lived greenlets, 1000 at a time), the process's own VmRSS after each tenth, plain and under \`greenlet_lens record\`.

| greenlets done | plain RSS MB | recorded RSS MB |
|---|---|---|
${rows}

*\`greenlet-lens state\`* on that trace (${r.n} greenlets): peak RSS (GNU time) ${f(m.state.json.peakMb)} MB in ${m.state.json.seconds} s (JSON), ${f(m.state.text.peakMb)} MB in ${m.state.text.seconds} s (\`--text\`); exit status ${m.state.json.status} / ${m.state.text.status}.
`;
}

if (process.argv[1] && process.argv[1].endsWith('memory.mjs')) {
  const root = join(new URL('.', import.meta.url).pathname, '..');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const m = await measureMemory(root, mkdtempSync(join(tmpdir(), 'glt-mem-')));
  console.log(JSON.stringify(m, null, 2));
  console.log(renderMemory(m));
}
