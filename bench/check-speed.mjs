// `greenlet-lens check` speed: the CLI's wall time on a trace (Node's start
// included, the way CI runs it), and the same work in this process
// (checkTraceFile: decode, state at the end, findings), best of `runs`.
// The target: 2 s per million events, and 2 s for any trace up to a million
// (a small trace costs mostly the CLI's start). Reported, never asserted.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const CHECK_MS_PER_MILLION = 2000;

/** The budget of a trace: 2 s per million events, at least 2 s. */
export function checkBudgetMs(events) {
  return CHECK_MS_PER_MILLION * Math.max(1, events / 1e6);
}

export async function measureCheck(root, trace, name, runs = 3) {
  const cli = join(root, 'dist', 'cli.js');
  const { checkTraceFile } = await import(join(root, 'out', 'shared', 'node', 'check-trace.js'));
  let cliMs = Infinity, inProcessMs = Infinity, findings = null, events = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', trace], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    cliMs = Math.min(cliMs, performance.now() - t0);
    if (r.status !== 0) throw new Error(`greenlet-lens check ${trace} failed (${r.status}):\n${r.stderr}`);
    const t1 = performance.now();
    const result = await checkTraceFile(trace);
    inProcessMs = Math.min(inProcessMs, performance.now() - t1);
    events = result.summary.eventCount;
    findings = result.findings.map((f) => f.kind);
  }
  return {
    name, events, runs, cliMs: Math.round(cliMs), inProcessMs: Math.round(inProcessMs),
    inProcessMsPerMillion: events > 0 ? Math.round(inProcessMs / events * 1e6) : null,
    budgetMs: Math.round(checkBudgetMs(events)), findings,
  };
}

/** Records every example (seed and bugs, the seed's waits scaled down) into `dir`; returns [name, trace] pairs. */
export function recordExamples(root, python, dir) {
  mkdirSync(dir, { recursive: true });
  const cli = join(root, 'dist', 'cli.js');
  const examples = join(root, 'examples');
  const out = [];
  for (const [folder, prefix] of [[examples, ''], [join(examples, 'bugs'), 'bugs/']]) {
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.py') && !f.startsWith('_') && f !== 'shutdown.py').sort()) {
      const trace = join(dir, `${prefix.replace('/', '-')}${basename(file, '.py')}.glt`);
      spawnSync(process.execPath, [cli, 'record', '--python', python, '--output', trace, '--', join(folder, file)],
        { cwd: folder, encoding: 'utf8', env: { ...process.env, SEED_SCALE: '0.2', PYTHONDONTWRITEBYTECODE: '1' }, timeout: 120_000 });
      out.push([`${prefix}${file}`, trace]);
    }
  }
  return out;
}
