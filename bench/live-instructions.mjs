// Where a live session's time goes, without the whole `npm run bench`: each
// workload counted under cachegrind (reduced size minus a tiny run, as in
// instructions.mjs) plain, recorded (compiled core) and live — the program
// run by the real adapter (live-run.mjs) with its Python under valgrind, so
// the count is the program's process only — and the adapter's own CPU time
// (user + system, from /proc) over the live run at full size.
// Usage: node bench/live-instructions.mjs [workload...]  (GREENLET_LENS_PYTHON picks the stack)
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VALGRIND, irefs } from './instructions.mjs';
import { runLive } from './live-run.mjs';

const WORKLOADS = {
  'switch-heavy': ['switch_heavy.py', ['10000'], ['10']],
  'spawn-heavy': ['spawn_heavy.py', ['2000'], ['10']],
  'io-bound': ['io_bound.py', ['10', '100'], ['1', '1']],
};

/** Instructions of the program's process in a live session (the adapter runs `python` = a valgrind wrapper). */
async function liveIrefs(root, py, prog, args) {
  const dir = mkdtempSync(join(tmpdir(), 'glt-live-ir-'));
  try {
    const wrapper = join(dir, 'python');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${VALGRIND} --tool=cachegrind --cache-sim=no --cachegrind-out-file=${dir}/cg.%p ${py} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const run = await runLive(root, wrapper, prog, args);
    // Only the program's process counts (were the adapter to run the interpreter for anything else).
    let best = null;
    for (const f of readdirSync(dir).filter((n) => n.startsWith('cg.'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const m = /^summary:\s+(\d+)/m.exec(text);
      if (m && (/^cmd:\s*(.*)$/m.exec(text)?.[1] ?? '').includes(prog)) best = Math.max(best ?? 0, Number(m[1]));
    }
    if (best === null) throw new Error('no cachegrind output of the program in the live run');
    return { ir: best, run };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The program's instructions in a live session, full minus tiny: { liveMi, run (the full one's live-run result) }. */
export async function measureLiveInstructions(root, py, prog, args, tinyArgs) {
  const full = await liveIrefs(root, py, prog, args);
  const tiny = await liveIrefs(root, py, prog, tinyArgs);
  return { live: Math.max(0, full.ir - tiny.ir), run: full.run };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
  const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';
  if (!VALGRIND) throw new Error('valgrind is not installed (apt-get install valgrind)');
  const names = process.argv.slice(2);
  const tmp = mkdtempSync(join(tmpdir(), 'glt-live-ir-'));
  try {
    for (const name of names.length ? names : Object.keys(WORKLOADS)) {
      const [file, full, tiny] = WORKLOADS[name] ?? (() => { throw new Error(`unknown workload ${name}`); })();
      const prog = join(ROOT, 'bench', 'workloads', file);
      const rec = ['-m', 'greenlet_lens', 'record', '--output', join(tmp, 't.glt'), '--', prog];
      const env = { PYTHONPATH: join(ROOT, 'runtime-instrumentation') };
      const plain = irefs(PY, [prog, ...full], {}, ROOT) - irefs(PY, [prog, ...tiny], {}, ROOT);
      const recorded = irefs(PY, [...rec, ...full], env, ROOT) - irefs(PY, [...rec, ...tiny], env, ROOT);
      const { live, run } = await measureLiveInstructions(ROOT, PY, prog, full, tiny);
      const M = (x) => `${(x / 1e6).toFixed(1)}M`;
      console.log(`${name} (${file} ${full.join(' ')} minus ${tiny.join(' ')}): plain ${M(plain)}, recorded ${M(recorded)} (x${(recorded / plain).toFixed(2)}), ` +
        `live ${M(live)} (x${(live / plain).toFixed(2)}); live minus recorded ${M(live - recorded)}; ${run.events} events streamed ` +
        `(${run.dropped} dropped), adapter CPU ${run.adapterCpuMs} ms`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
