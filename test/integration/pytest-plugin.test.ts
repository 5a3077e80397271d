/**
 * The runtime's pytest plugin (greenlet_lens.pytest_plugin) on real tests,
 * with Debian's pytest for /usr/bin/python3 (the only pytest here: PyPI is
 * out of reach, so no other pytest or Python is tried): each test recorded;
 * a test that leaks greenlets or leaves an exception unobserved fails (at its
 * teardown, where the leak is seen), the others pass; failing tests' traces
 * are kept and `greenlet-lens check` finds the same there; --greenlet-lens
 * turns it on where a conftest registered it; the kinds that fail are
 * configurable. The plugin decides in Python, without Node.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../shared/analysis/finding';
import { PROGRAMS, ROOT, cli, tmpFile } from './support';

const PYTEST_PYTHON = '/usr/bin/python3';
const SAMPLE = path.join(PROGRAMS, 'pytest', 'test_greenlets.py');

interface PytestRun { status: number | null; out: string; traces: string }

function pytest(args: string[], cwd = path.dirname(SAMPLE)): PytestRun {
  const traces = tmpFile('traces');
  const r = spawnSync(PYTEST_PYTHON, ['-m', 'pytest', '-q', '-rfEp', '-p', 'no:cacheprovider', '--greenlet-lens-traces', traces, ...args], {
    cwd, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'runtime-instrumentation'), PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, traces };
}

/**
 * Each test's outcome from pytest's short summary ("ERROR test_greenlets.py::name", "FAILED …",
 * "PASSED …"): a test whose call passed but whose teardown failed is listed twice; the failure counts.
 */
function outcomes(out: string): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const m of out.matchAll(/^(PASSED|FAILED|ERROR) test_greenlets\.py::(\w+)/gm)) {
    if (seen[m[2]!] === undefined || m[1] !== 'PASSED') seen[m[2]!] = m[1]!;
  }
  return seen;
}

test('-p greenlet_lens.pytest_plugin fails the tests that leak or leave an exception unobserved, and only those', { timeout: 120_000 }, () => {
  const run = pytest(['-p', 'greenlet_lens.pytest_plugin', SAMPLE]);
  assert.equal(run.status, 1, run.out);
  assert.deepEqual(outcomes(run.out), {
    test_clean: 'PASSED',
    test_leaks_a_poller: 'ERROR',
    test_never_starts_a_greenlet: 'ERROR',
    test_leaves_an_exception_unobserved: 'ERROR',
    test_observes_an_exception_with_get: 'PASSED',
    test_get_after_the_end_raises_it_again: 'PASSED',
    test_fails_by_itself: 'FAILED',
    test_fixture_cleans_up_in_teardown: 'PASSED',
  }, run.out);
  assert.match(run.out, /Greenlet Lens: the test leaked 1 greenlet, still alive after its teardown: g\d+ test_leaks_a_poller\.<locals>\.poller \(waiting at test_greenlets\.py:\d+\)/);
  assert.match(run.out, /g\d+ print \(never started\)/);
  assert.match(run.out, /Greenlet Lens: 1 greenlet died of an exception nobody observed \(no join, get\(\) or link\): g\d+ worker_raises: ValueError: nobody sees me/);
  // Kept: the traces of the four tests that failed, and no other.
  const kept = fs.readdirSync(run.traces).sort();
  assert.deepEqual(kept, ['test_fails_by_itself', 'test_leaks_a_poller', 'test_leaves_an_exception_unobserved', 'test_never_starts_a_greenlet']
    .map((t) => `test_greenlets.py_${t}.glt`));
});

test('a kept trace replays with the test\'s findings: greenlet-lens check finds what the plugin found', { timeout: 120_000 }, () => {
  const run = pytest(['-p', 'greenlet_lens.pytest_plugin', '--greenlet-lens-keep', 'all', SAMPLE]);
  const check = (name: string): string[] => {
    const r = cli(['check', '--format', 'json', path.join(run.traces, `test_greenlets.py_${name}.glt`)]);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.map((f) => `${f.kind} ${f.severity}`);
  };
  assert.deepEqual(check('test_leaks_a_poller'), ['leaked-greenlet warning']);
  assert.deepEqual(check('test_never_starts_a_greenlet'), ['leaked-greenlet warning']);
  assert.deepEqual(check('test_leaves_an_exception_unobserved'), ['unobserved-exception error']);
  for (const clean of ['test_clean', 'test_observes_an_exception_with_get', 'test_get_after_the_end_raises_it_again', 'test_fixture_cleans_up_in_teardown', 'test_fails_by_itself']) {
    assert.deepEqual(check(clean), [], clean);
  }
  const r = cli(['stats', '--json', path.join(run.traces, 'test_greenlets.py_test_clean.glt')]);
  const stats = JSON.parse(r.stdout) as { status: string; header: { argv: string[] } };
  assert.equal(stats.status, 'complete');
  assert.deepEqual(stats.header.argv, ['test_greenlets.py::test_clean']);
});

test('registered by a conftest it records only with --greenlet-lens; --greenlet-lens-fail-on chooses what fails', { timeout: 120_000 }, () => {
  const dir = tmpFile('conftest-project');
  fs.mkdirSync(dir);
  fs.copyFileSync(SAMPLE, path.join(dir, 'test_greenlets.py'));
  fs.writeFileSync(path.join(dir, 'conftest.py'), 'pytest_plugins = ["greenlet_lens.pytest_plugin"]\n');
  const off = pytest([], dir);
  assert.equal(outcomes(off.out)['test_leaks_a_poller'], 'PASSED', off.out);
  const on = pytest(['--greenlet-lens'], dir);
  assert.equal(outcomes(on.out)['test_leaks_a_poller'], 'ERROR', on.out);
  const leaksOnly = pytest(['--greenlet-lens', '--greenlet-lens-fail-on', 'leak'], dir);
  assert.equal(outcomes(leaksOnly.out)['test_leaks_a_poller'], 'ERROR', leaksOnly.out);
  assert.equal(outcomes(leaksOnly.out)['test_leaves_an_exception_unobserved'], 'PASSED', leaksOnly.out);
  assert.match(leaksOnly.out, /PytestWarning: Greenlet Lens: 1 greenlet died of an exception nobody observed/, 'still said, as a warning');
  const recordOnly = pytest(['--greenlet-lens', '--greenlet-lens-fail-on', ''], dir);
  assert.equal(outcomes(recordOnly.out)['test_leaks_a_poller'], 'PASSED', recordOnly.out);
  const bad = pytest(['--greenlet-lens', '--greenlet-lens-fail-on', 'leaks'], dir);
  assert.equal(bad.status, 4, bad.out);
  assert.match(bad.out, /--greenlet-lens-fail-on: unknown leaks \(choose from leak, exception\)/);
});
