// The stack matrix: the Python + gevent + greenlet combinations the
// integration and DAP suites run on, and the virtual environments they need.
//
//   node scripts/stacks.mjs setup   builds the environments (idempotent, cached
//                                   outside the repository) and says which stacks are ready
//   node scripts/stacks.mjs plan    says which stacks would run, and why others are skipped
//   node scripts/stacks.mjs test [DIR…]   runs the suites (default out/test/integration
//                                   out/test/dap) on every ready stack, then prints
//                                   each stack's test counts and the time the matrix took
//
// Debian's /usr/bin/python3 (gevent 22.10, greenlet 2.0, python3-gevent) is
// always there; the current stacks come from the wheels in ../shared/pystacks
// (gevent 26.5 + greenlet 3.5 for pyenv's CPython 3.12 and 3.13), installed
// offline. Where wheels or an interpreter are missing, that stack is skipped
// with the reason and the rest run. Each gevent stack has a greenlet-only twin
// (the same Python with greenlet and without gevent) for the tests of plain
// greenlet programs, passed to the suites as GREENLET_LENS_GREENLET_ONLY_PYTHON.
//
// Environment: GREENLET_LENS_CACHE (default ~/.cache/greenlet-lens),
// GREENLET_LENS_PYSTACKS (the wheels folder), GREENLET_LENS_PYTHON_3_12 and
// GREENLET_LENS_PYTHON_3_13 (the base interpreters; default pyenv's).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testFiles } from './test-files.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNTIME = path.join(ROOT, 'runtime-instrumentation');
const DEFAULT_SUITES = ['out/test/integration', 'out/test/dap'];
const PURE = { PURE_PYTHON: '1' };
/** The recorder's pure-Python fallback instead of its compiled core (greenlet_lens/accel.py). */
const PURE_RECORDER = { GREENLET_LENS_PURE: '1' };

/** Where Pythons come from: Debian's system one, or a virtual environment from wheels. */
const ENVIRONMENTS = {
  debian: { system: '/usr/bin/python3' },
  cp312: { version: '3.12', pyenv: '3.12.1', wheels: 'cp312' },
  cp313: { version: '3.13', pyenv: '3.13.0', wheels: 'cp313' },
};

/**
 * The DAP tests that read gevent's internals (its frames, its waits, its
 * objects' fields), which differ in pure-Python mode; the rest of the DAP
 * suite drives the same runtime code on every gevent build.
 */
const DAP_GEVENT_INTERNALS = ['stops', 'step-switch', 'user-stops', 'variables-gevent', 'findings'];

/**
 * The matrix, in the order it is listed: the first one is the default stack
 * of every other suite. The integration suite runs on every stack; the DAP
 * suite (`dap`: all, none, or the named files) on an old and a new gevent,
 * and its gevent-internals part in pure-Python mode. Tests that exercise
 * only Node code run on the default stack alone (test/support/stacks.ts).
 */
export const STACKS = [
  { id: 'debian-3.11', env: 'debian', vars: {}, dap: 'all' },
  { id: 'debian-3.11-pure', env: 'debian', vars: PURE, dap: DAP_GEVENT_INTERNALS },
  { id: 'cpython-3.12', env: 'cp312', vars: {}, dap: 'none' },
  { id: 'cpython-3.12-pure', env: 'cp312', vars: PURE, dap: DAP_GEVENT_INTERNALS },
  { id: 'cpython-3.13-pyrec', env: 'cp313', vars: PURE_RECORDER, dap: 'all' },
];

/** The files a stack runs: every file, except the DAP suite's (a folder named dap) as the stack says. */
export function filesFor(stack, files) {
  return files.filter((f) => {
    if (path.basename(path.dirname(f)) !== 'dap' || stack.dap === 'all') return true;
    if (stack.dap === 'none') return false;
    return stack.dap.includes(path.basename(f).replace(/\.test\.js$/, ''));
  });
}

/** Stacks run two at a time (the machine has two cores, and most of a test is waiting on a program). */
const AT_ONCE = Math.max(1, Number(process.env.GREENLET_LENS_STACKS_AT_ONCE) || 2);

export function cacheDir(env = process.env) {
  const base = env.GREENLET_LENS_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'greenlet-lens');
  return path.join(base, 'stacks');
}

/** ../shared/pystacks next to this checkout, or next to the main checkout of a git worktree. */
export function pystacksDirs(env = process.env) {
  if (env.GREENLET_LENS_PYSTACKS) return [path.resolve(env.GREENLET_LENS_PYSTACKS)];
  const roots = [ROOT];
  const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: ROOT, encoding: 'utf8' });
  if (common.status === 0) roots.push(path.dirname(common.stdout.trim()));
  return [...new Set(roots.map((r) => path.join(path.dirname(r), 'shared', 'pystacks')))];
}

function baseInterpreter(spec, env) {
  const override = env[`GREENLET_LENS_PYTHON_${spec.version.replace('.', '_')}`];
  if (override) {
    return fs.existsSync(override)
      ? { python: override }
      : { problem: `GREENLET_LENS_PYTHON_${spec.version.replace('.', '_')}=${override} does not exist` };
  }
  const root = env.PYENV_ROOT || path.join(os.homedir(), '.pyenv');
  const versions = path.join(root, 'versions');
  const found = fs.existsSync(versions) ? fs.readdirSync(versions) : [];
  // The version the wheels were built for, else another of the same minor version.
  const pick = found.includes(spec.pyenv) ? spec.pyenv : found.filter((v) => v.startsWith(`${spec.version}.`)).sort().pop();
  const python = pick && path.join(versions, pick, 'bin', 'python3');
  if (python && fs.existsSync(python)) return { python };
  return { problem: `no CPython ${spec.version} interpreter (pyenv has none in ${versions}; set GREENLET_LENS_PYTHON_${spec.version.replace('.', '_')})` };
}

function wheelsFor(spec, env) {
  const tried = pystacksDirs(env).map((d) => path.join(d, spec.wheels));
  for (const dir of tried) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.whl')).sort() : [];
    if (files.some((f) => f.startsWith('gevent-')) && files.some((f) => f.startsWith('greenlet-'))) return { dir, files };
  }
  return { problem: `no gevent and greenlet wheels in ${tried.join(' or ')} (set GREENLET_LENS_PYSTACKS to the pystacks folder)` };
}

/** { python, greenletOnly } for an environment, or { problem } saying why it is missing. */
function locate(name, env, build) {
  const spec = ENVIRONMENTS[name];
  const cache = cacheDir(env);
  if (spec.system) {
    if (!fs.existsSync(spec.system)) return { problem: `${spec.system} does not exist` };
    const greenletOnly = venv(cache, 'debian-greenlet-only', { base: spec.system, linkGreenlet: true }, build);
    return { python: spec.system, greenletOnly: greenletOnly.python ?? null };
  }
  const base = baseInterpreter(spec, env);
  if (base.problem) return base;
  const wheels = wheelsFor(spec, env);
  if (wheels.problem) return wheels;
  const full = venv(cache, `${name}-gevent`, { base: base.python, wheels, install: 'gevent' }, build);
  if (full.problem) return full;
  const greenletOnly = venv(cache, `${name}-greenlet-only`, { base: base.python, wheels, install: 'greenlet' }, build);
  return { python: full.python, greenletOnly: greenletOnly.python ?? null };
}

/**
 * A virtual environment in the cache, made once: its stamp records what it was
 * built from, and a different base or set of wheels builds it again. It is
 * built in a folder of its own and renamed into place, so concurrent test runs
 * (other worktrees) never see half of one.
 */
function venv(cache, name, how, build) {
  const dir = path.join(cache, name);
  const python = path.join(dir, 'bin', 'python');
  const stamp = JSON.stringify({ base: how.base, wheels: how.wheels?.files ?? null, install: how.install ?? 'link greenlet' });
  const stampFile = path.join(dir, '.greenlet-lens-stack');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(python)) {
    return { python };
  }
  if (!build) return { problem: `${dir} is not built yet (node scripts/stacks.mjs setup)` };
  fs.mkdirSync(cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cache, `.${name}-`));
  const fail = (what, r) => {
    fs.rmSync(tmp, { recursive: true, force: true });
    return { problem: `${what} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
  };
  const made = spawnSync(how.base, ['-m', 'venv', '--without-pip', tmp], { encoding: 'utf8' });
  if (made.status !== 0) return fail(`${how.base} -m venv`, made);
  const tmpPython = path.join(tmp, 'bin', 'python');
  const site = spawnSync(tmpPython, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' });
  if (site.status !== 0) return fail('finding site-packages', site);
  if (how.linkGreenlet) {
    // Debian's greenlet, without the rest of dist-packages (gevent among them).
    const found = spawnSync(how.base, ['-c', 'import greenlet, os; print(os.path.dirname(greenlet.__file__))'], { encoding: 'utf8' });
    if (found.status !== 0) return fail(`importing greenlet with ${how.base}`, found);
    fs.symlinkSync(found.stdout.trim(), path.join(site.stdout.trim(), 'greenlet'));
  } else {
    // The base interpreter's pip, installing into the new environment; no index, no user config.
    const pip = spawnSync(how.base, ['-m', 'pip', 'install', '--quiet', '--no-index', '--no-deps', '--target', site.stdout.trim(),
      ...how.wheels.files.filter((f) => how.install === 'gevent' || f.startsWith('greenlet-')).map((f) => path.join(how.wheels.dir, f))],
    { encoding: 'utf8', env: { ...process.env, PIP_CONFIG_FILE: os.devnull, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    if (pip.status !== 0) return fail('pip install', pip);
  }
  fs.writeFileSync(path.join(tmp, '.greenlet-lens-stack'), stamp);
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another run put its own copy in place first
  }
  return { python };
}

/** What the runtime's own probe says the interpreter is (the fields of a trace header). */
export function probe(python, vars = {}) {
  const r = spawnSync(python, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(RUNTIME)}); from greenlet_lens.probe import main; main()`],
    { encoding: 'utf8', env: { ...process.env, ...vars } });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout);
  } catch {
    return null;
  }
}

export function describeStack(info) {
  const build = info.compiled === null ? '' : info.compiled ? ' compiled' : ' pure-Python';
  return `Python ${info.python} · gevent ${info.gevent ?? 'none'}${build} · greenlet ${info.greenlet ?? 'none'}`;
}

/** Every stack, ready ({ python, vars, greenletOnly, label }) or skipped ({ skipped }). */
export function plan(env = process.env, build = false) {
  const located = {};
  return STACKS.map((stack) => {
    located[stack.env] ??= locate(stack.env, env, build);
    const where = located[stack.env];
    if (where.problem) return { ...stack, skipped: where.problem };
    const info = probe(where.python, stack.vars);
    if (info === null || info.gevent === null) return { ...stack, skipped: `${where.python} cannot import gevent` };
    return { ...stack, python: where.python, greenletOnly: where.greenletOnly ?? null, label: describeStack(info) };
  });
}

function varsText(vars) {
  return Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(', ');
}

function printPlan(stacks) {
  for (const s of stacks) {
    console.log(s.skipped ? `stacks: ${s.id}: skipped: ${s.skipped}` : `stacks: ${s.id}: ${s.label} (${[s.python, varsText(s.vars)].filter(Boolean).join(', ')})`);
  }
}

/**
 * Builds the recorder's compiled core for each stack's interpreter now (cached
 * per interpreter, see accel.py), so that no test pays for the first build;
 * says which recorder each stack records with.
 */
function buildCores(stacks) {
  const code = `import sys; sys.path.insert(0, ${JSON.stringify(RUNTIME)}); from greenlet_lens import accel; print(accel.why_not() or "compiled")`;
  for (const s of stacks.filter((x) => !x.skipped)) {
    const r = spawnSync(s.python, ['-c', code], { encoding: 'utf8', env: { ...process.env, ...s.vars } });
    const said = r.status === 0 ? r.stdout.trim() : `failed: ${(r.stderr || '').trim().split('\n').pop()}`;
    console.log(`stacks: ${s.id}: recorder: ${said === 'compiled' ? 'compiled core' : `pure-Python (${said})`}`);
  }
}

/** Runs node:test over files with the stack's environment; resolves to its counts. */
function runSuites(stack, files) {
  const env = {
    ...process.env,
    ...stack.vars,
    GREENLET_LENS_PYTHON: stack.python,
    GREENLET_LENS_STACK: `${stack.id}: ${stack.label}`,
  };
  if (stack.greenletOnly) env.GREENLET_LENS_GREENLET_ONLY_PYTHON = stack.greenletOnly;
  // Run from inside a test (the runner's own tests), node:test would refuse to run files.
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Stacks run side by side: each one's output is printed whole when it ends.
    let output = '';
    child.stderr.on('data', (d) => { output += d.toString(); });
    // The summary's counts, wherever they fall: the failing tests are listed after them, at any length.
    const counts = {};
    // The failing tests by name and place, for the matrix summary: CI may show only the tail of the output.
    const failed = new Map();
    let lastFailed = null;
    let partial = '';
    child.stdout.on('data', (d) => {
      output += d.toString();
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ℹ (tests|pass|fail|skipped|cancelled) (\d+)$/.exec(line);
        if (m) counts[m[1]] = Number(m[2]);
        const f = /^\s*✖ (.+?)(?: \([\d.]+ms\))?$/.exec(line);
        if (f && f[1] !== 'failing tests:') {
          lastFailed = f[1];
          if (!failed.has(lastFailed)) failed.set(lastFailed, '');
        }
        const at = /^\s*test at (.+)$/.exec(line);
        if (at && lastFailed !== null) failed.set(lastFailed, at[1]);
      }
    });
    child.on('close', (code) => {
      const count = (what) => counts[what] ?? NaN;
      resolve({ code, output, failed, tests: count('tests'), pass: count('pass'), fail: count('fail'), skipped: count('skipped'), cancelled: count('cancelled') });
    });
  });
}

function minutes(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

async function runMatrix(dirs) {
  const stacks = plan(process.env, false);
  const files = dirs.flatMap((d) => testFiles(d));
  if (files.length === 0) {
    console.error(`stacks: no test files under ${dirs.join(', ')}`);
    return 1;
  }
  const started = Date.now();
  const ready = stacks.filter((s) => !s.skipped);
  const rows = new Array(ready.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ready.length; i = next++) {
      const s = ready[i];
      const mine = filesFor(s, files);
      const t0 = Date.now();
      const r = await runSuites(s, mine);
      rows[i] = { s, r, ms: Date.now() - t0 };
      console.log(`\n=== stack ${i + 1}/${ready.length}: ${s.id}: ${s.label}${Object.keys(s.vars).length ? ` (${varsText(s.vars)})` : ''} · ${mine.length} files ===`);
      process.stdout.write(r.output);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, ready.length) }, worker));
  console.log(`\nstack matrix (${dirs.map((d) => path.basename(d)).join(' + ')} suites, ${AT_ONCE} stacks at a time):`);
  for (const { s, r, ms } of rows) {
    const extra = [r.fail ? `${r.fail} failed` : '', r.cancelled ? `${r.cancelled} cancelled` : '', r.skipped ? `${r.skipped} skipped` : '']
      .filter(Boolean).join(', ');
    const counts = Number.isNaN(r.tests) ? `no test summary (exit status ${r.code})` : `${String(r.pass).padStart(3)}/${r.tests} passed${extra ? ` (${extra})` : ''}`;
    console.log(`  ${s.id.padEnd(18)} ${s.label.padEnd(58)} ${counts}  ${minutes(ms)}`);
    for (const [name, at] of r.failed) console.log(`      ✖ ${name}${at ? `  (${at})` : ''}`);
  }
  for (const s of stacks.filter((x) => x.skipped)) console.log(`  ${s.id.padEnd(18)} skipped: ${s.skipped}`);
  console.log(`  the matrix took ${minutes(Date.now() - started)}`);
  return rows.every(({ r }) => r.code === 0) ? 0 : 1;
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === 'setup') {
    const stacks = plan(process.env, true);
    printPlan(stacks);
    buildCores(stacks);
    return 0;
  }
  if (command === 'plan') {
    printPlan(plan(process.env, false));
    return 0;
  }
  if (command === 'test') return runMatrix(rest.length > 0 ? rest : DEFAULT_SUITES);
  console.error('usage: node scripts/stacks.mjs setup | plan | test [DIR…]');
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
