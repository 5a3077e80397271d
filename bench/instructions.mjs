// Instruction counts under valgrind (cachegrind without cache simulation):
// wall time on these shared machines varies 30-100 % run to run, instruction
// counts hardly at all. Each variant runs the workload at a reduced size and
// at a tiny one; the difference cancels interpreter, gevent and recorder
// start-up, leaving what the workload itself costs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VALGRIND = ['/usr/bin/valgrind', '/usr/local/bin/valgrind'].find((p) => existsSync(p)) ?? null;

/** Instructions of one run (cachegrind's summary); with keep, the cachegrind file is copied there. */
export function irefs(py, argv, env, root, keep = null) {
  const dir = mkdtempSync(join(tmpdir(), 'glt-cg-'));
  try {
    const out = join(dir, 'cg.out');
    const r = spawnSync(VALGRIND, ['--tool=cachegrind', '--cache-sim=no', `--cachegrind-out-file=${out}`, py, ...argv],
      { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 900_000 });
    if (r.status !== 0) throw new Error(`valgrind ${argv.join(' ')} failed (${r.status}): ${(r.stderr || '').split('\n').slice(-3).join(' ')}`);
    const m = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
    if (!m) throw new Error('no cachegrind summary');
    if (keep) copyFileSync(out, keep);
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * { plain, pure, compiled } instructions (millions) of the workload's own
 * work, and the ratios to plain; variants: name -> env (null = plain run).
 */
export function measureInstructions(root, py, prog, args, tinyArgs, trace) {
  const rec = (extra) => ({ argv: ['-m', 'greenlet_lens', 'record', '--output', trace, '--', prog], env: { PYTHONPATH: join(root, 'runtime-instrumentation'), ...extra } });
  const variants = {
    plain: { argv: [prog], env: {} },
    pure: rec({ GREENLET_LENS_PURE: '1' }),
    compiled: rec({ GREENLET_LENS_PURE: '' }),
  };
  const out = {};
  for (const [name, v] of Object.entries(variants)) {
    const full = irefs(py, [...v.argv, ...args], v.env, root);
    const tiny = irefs(py, [...v.argv, ...tinyArgs], v.env, root);
    out[name] = Math.max(0, full - tiny);
  }
  const ratio = (x) => (out.plain > 0 ? +(x / out.plain).toFixed(2) : null);
  return {
    plainMi: Math.round(out.plain / 1e6), pureMi: Math.round(out.pure / 1e6), compiledMi: Math.round(out.compiled / 1e6),
    pureRatio: ratio(out.pure), compiledRatio: ratio(out.compiled),
  };
}
