/**
 * `greenlet-lens check` as CI uses it: the text form editors can jump from,
 * JSON, SARIF 2.1.0 with file/line locations, the exit status of --fail-on,
 * and usage errors that name the problem.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { lineOf } from '../support/source-lines';
import { PROGRAMS, ROOT, cli, describe, record } from './support';

const UNOBSERVED = path.join(PROGRAMS, 'findings', 'unobserved_exception.py');
const FREQUENT = path.join(PROGRAMS, 'findings', 'frequent_timeouts.py');
const traceOf = (file: string): string => record(file).trace;

test('text: one compiler-style line per finding with a path relative to where check runs, then a count', { timeout: 60_000 }, () => {
  const r = cli(['check', traceOf(UNOBSERVED)]);
  assert.equal(r.status, 0, describe(r));
  const [line, count, ...rest] = r.stdout.split('\n');
  const rel = path.relative(ROOT, UNOBSERVED);
  assert.match(line!, new RegExp(`^${rel.replace(/[.]/g, '\\.')}:${lineOf(UNOBSERVED, 'UNOBSERVED')}: error: Exception nobody observed: g\\d+ worker died of ValueError: bad input`));
  assert.match(line!, /\[unobserved-exception, event \d+\]$/);
  assert.equal(count, '1 finding: 1 error');
  assert.deepEqual(rest, ['']);
});

test('--fail-on: exit 3 when a finding is at least that bad, 0 below it', { timeout: 60_000 }, () => {
  const error = traceOf(UNOBSERVED);
  const info = traceOf(FREQUENT);
  assert.equal(cli(['check', error, '--fail-on', 'error']).status, 3);
  assert.equal(cli(['check', error, '--fail-on', 'warning']).status, 3);
  assert.equal(cli(['check', info, '--fail-on', 'warning']).status, 0);
  assert.equal(cli(['check', info, '--fail-on', 'info']).status, 3);
  assert.equal(cli(['check', info]).status, 0, 'without --fail-on findings do not fail');
});

test('SARIF 2.1.0: a rule per kind, results with the line as a location relative to %SRCROOT%', { timeout: 60_000 }, () => {
  const r = cli(['check', traceOf(UNOBSERVED), '--format', 'sarif']);
  assert.equal(r.status, 0, describe(r));
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'Greenlet Lens');
  const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
  assert.ok(ids.includes('unobserved-exception') && ids.includes('deadlock-cycle'), ids.join(', '));
  assert.equal(run.originalUriBaseIds.SRCROOT.uri, `file://${ROOT}/`);
  const [result] = run.results;
  assert.equal(result.ruleId, 'unobserved-exception');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'unobserved-exception');
  assert.equal(result.level, 'error');
  assert.match(result.message.text, /^Exception nobody observed: g\d+ worker died of ValueError/);
  assert.deepEqual(result.locations[0].physicalLocation, {
    artifactLocation: { uri: path.relative(ROOT, UNOBSERVED), uriBaseId: 'SRCROOT' },
    region: { startLine: lineOf(UNOBSERVED, 'UNOBSERVED') },
  });
  assert.equal(typeof result.partialFingerprints['greenletLens/v1'], 'string');
});

test('JSON: the trace, its events and the findings with kind, severity, greenlets, objects, lines and event', { timeout: 60_000 }, () => {
  const r = cli(['check', traceOf(FREQUENT), '--format', 'json']);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 'complete');
  const [f] = out.findings;
  assert.deepEqual(Object.keys(f).sort(), ['greenlets', 'id', 'kind', 'message', 'objects', 'proof', 'seq', 'severity', 'sites', 'summary', 't'].sort());
  assert.equal(f.kind, 'frequent-timeouts');
  assert.equal(f.severity, 'info');
  assert.equal(f.objects.length, 1);
  assert.ok(f.seq > 0 && f.seq < out.events);
});

test('usage errors name the problem: a bad format, severity, threshold or kind exits 2', () => {
  for (const [args, text] of [
    [['--format', 'xml'], /--format expects text, json, sarif, got "xml"/],
    [['--fail-on', 'fatal'], /--fail-on expects error, warning, info, got "fatal"/],
    [['--blocked-loop-ms', '-5'], /--blocked-loop-ms expects a number of 0 or more/],
    [['--timeout-min-share', '2'], /--timeout-min-share expects a number of 0 or more up to 1/],
    [['--disable', 'leaks'], /--disable: unknown finding kind "leaks"/],
  ] as const) {
    const r = cli(['check', 'missing.glt', ...args]);
    assert.equal(r.status, 2, describe(r));
    assert.match(r.stderr, text);
  }
  const missing = cli(['check', 'missing.glt']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no such file: missing\.glt/);
});
