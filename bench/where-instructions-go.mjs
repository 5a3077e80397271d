// Where the recorder's instructions go, per workload, without the whole
// `npm run bench`: each workload counted under cachegrind (reduced size minus
// a tiny run, as in instructions.mjs) plain, under a greenlet.settrace
// callback in C that does nothing (the floor any switch tracer pays),
// recorded by the compiled core and, with --pure, by the pure-Python recorder;
// then the recorder's extra instructions split by where they run: the
// bytecode loop (Python code), the core's own functions, the rest (the C API
// the core and the hooks call; "???" when the interpreter is stripped, as
// Debian's is: the pyenv stacks have symbols).
// Usage: node bench/where-instructions-go.mjs [--pure] [workload...]  (GREENLET_LENS_PYTHON picks the stack)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VALGRIND, irefs } from './instructions.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';
const WORKLOADS = {
  'switch-heavy': ['switch_heavy.py', ['10000'], ['10']],
  'spawn-heavy': ['spawn_heavy.py', ['2000'], ['10']],
  'io-bound': ['io_bound.py', ['10', '100'], ['1', '1']],
  'large-backlog': ['large_backlog.py', ['20000', '400'], ['10', '2']],
};
// Runs the program as `python3 prog` would, under a trace callback in C (a bound dict.get) that does nothing.
const FLOOR = 'import greenlet, runpy, sys; greenlet.settrace({}.get); sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")';

/** Ir per function name, from a cachegrind output file. */
function perFunction(file) {
  const out = new Map();
  let fn = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) fn = line.slice(3);
    else if (fn !== null && /^\d/.test(line)) {
      const n = Number(line.split(' ')[1]);
      if (n) out.set(fn, (out.get(fn) ?? 0) + n);
    }
  }
  return out;
}

const args = process.argv.slice(2);
const pure = args.includes('--pure');
const names = args.filter((a) => !a.startsWith('--'));
if (!VALGRIND) throw new Error('valgrind is not installed (apt-get install valgrind)');
const core = new Set(readFileSync(join(ROOT, 'runtime-instrumentation', 'greenlet_lens', '_core.c'), 'utf8')
  .match(/^static [^(=;]*?\b(\w+)\(/gm).map((d) => /(\w+)\($/.exec(d)[1]));
const tmp = mkdtempSync(join(tmpdir(), 'glt-where-'));
try {
  for (const name of names.length ? names : ['switch-heavy', 'spawn-heavy', 'io-bound']) {
    const [file, full, tiny] = WORKLOADS[name] ?? (() => { throw new Error(`unknown workload ${name}`); })();
    const prog = join(ROOT, 'bench', 'workloads', file);
    const rec = (extra) => ({ argv: ['-m', 'greenlet_lens', 'record', '--output', join(tmp, 't.glt'), '--', prog], env: { PYTHONPATH: join(ROOT, 'runtime-instrumentation'), ...extra } });
    const variants = { plain: { argv: [prog], env: {} }, floor: { argv: ['-c', FLOOR, prog], env: {} }, compiled: rec({ GREENLET_LENS_PURE: '' }) };
    if (pure) variants.pure = rec({ GREENLET_LENS_PURE: '1' });
    const counts = {}, fns = {};
    for (const [v, { argv, env }] of Object.entries(variants)) {
      const [fFull, fTiny] = [join(tmp, `${v}.full`), join(tmp, `${v}.tiny`)];
      counts[v] = irefs(PY, [...argv, ...full], env, ROOT, fFull) - irefs(PY, [...argv, ...tiny], env, ROOT, fTiny);
      const [a, b] = [perFunction(fFull), perFunction(fTiny)];
      fns[v] = new Map([...new Set([...a.keys(), ...b.keys()])].map((k) => [k, (a.get(k) ?? 0) - (b.get(k) ?? 0)]));
    }
    const M = (x) => `${(x / 1e6).toFixed(1)}M`;
    console.log(`${name} (${file} ${full.join(' ')} minus ${tiny.join(' ')}): ` +
      Object.entries(counts).map(([v, n]) => `${v} ${M(n)}${v === 'plain' ? '' : ` (x${(n / counts.plain).toFixed(2)})`}`).join(', '));
    const extra = new Map([...fns.compiled].map(([k, n]) => [k, n - (fns.plain.get(k) ?? 0)]));
    const total = counts.compiled - counts.plain;
    const groups = new Map();
    for (const [k, n] of extra) {
      const g = k === '_PyEval_EvalFrameDefault' ? 'Python bytecode (the eval loop)' : core.has(k) ? "the core's own C" : k === '???' ? 'unnamed C (a stripped interpreter, gevent, greenlet)' : 'named C (the C API, libc, greenlet)';
      groups.set(g, (groups.get(g) ?? 0) + n);
    }
    console.log(`  the compiled recorder's extra ${M(total)}: ` + [...groups].sort((a, b) => b[1] - a[1]).map(([g, n]) => `${g} ${M(n)} (${Math.round((100 * n) / total)}%)`).join(', '));
    console.log('  top functions: ' + [...extra].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k.length > 40 ? k.slice(0, 40) + '…' : k} ${M(n)}`).join(', '));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
