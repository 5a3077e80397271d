/**
 * The runtime promises Python >= 3.8: every interpreter found here compiles
 * it, and reads suspended call sites from its own bytecode correctly.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RUNTIME = path.join(ROOT, 'runtime-instrumentation', 'greenlet_lens');

function interpreters(): string[] {
  const found = new Set<string>(['/usr/bin/python3']);
  const pyenv = path.join(process.env.HOME ?? '/root', '.pyenv', 'versions');
  if (fs.existsSync(pyenv)) {
    for (const v of fs.readdirSync(pyenv)) {
      const py = path.join(pyenv, v, 'bin', 'python3');
      if (fs.existsSync(py)) found.add(py);
    }
  }
  return [...found].filter((py) => {
    const r = spawnSync(py, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']);
    return r.status === 0;
  });
}

for (const py of interpreters()) {
  test(`runtime compiles and reads call sites under ${py}`, () => {
    const files = fs.readdirSync(RUNTIME).filter((f) => f.endsWith('.py')).map((f) => path.join(RUNTIME, f));
    const compile = spawnSync(py, ['-c', 'import sys, ast\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)', ...files], { encoding: 'utf8' });
    assert.equal(compile.status, 0, compile.stderr);
    const check = spawnSync(py, [path.join(ROOT, 'test', 'python', 'check_callsite.py'), path.join(RUNTIME, 'callsite.py')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const watchdog = spawnSync(py, [path.join(ROOT, 'test', 'python', 'check_watchdog.py'), path.dirname(RUNTIME)], { encoding: 'utf8' });
    assert.equal(watchdog.status, 0, watchdog.stdout + watchdog.stderr);
  });
}
