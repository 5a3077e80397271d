// Findings as Problems view entries, and the why-not-running dialog's text,
// decided without vscode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../shared/analysis/finding';
import { byFile, problemsOf } from '../../extension/findings-problems';
import { whyDetail } from '../../extension/why-text';

const finding = (over: Partial<Finding>): Finding => ({
  id: 'x', kind: 'never-woken', severity: 'error', summary: 'Waiter nobody can wake', message: 'g2 waits forever.',
  greenlets: [2], objects: [1], sites: [{ file: '/app/a.py', line: 10, function: 'work' }], seq: 5, t: 0, proof: 'trace', ...over,
});

test('a finding is one problem on its first line (0-based), its other lines related, its kind the code', () => {
  const [p] = problemsOf([finding({ sites: [{ file: '/app/a.py', line: 10, function: 'work' }, { file: 'b.py', line: 3, function: '<module>' }] })], '/app');
  assert.deepEqual(p, {
    file: '/app/a.py', line: 9, severity: 'error', message: 'Waiter nobody can wake: g2 waits forever.', code: 'never-woken',
    related: [{ file: '/app/b.py', line: 2, message: 'Waiter nobody can wake: a related line, in <module>' }],
  });
});

test('findings without a line are left to the board; problems of several owners are merged per file in line order', () => {
  assert.deepEqual(problemsOf([finding({ sites: [] })], null), []);
  const a = problemsOf([finding({ sites: [{ file: '/app/a.py', line: 20, function: 'f' }] })], null);
  const b = problemsOf([finding({ sites: [{ file: '/app/a.py', line: 4, function: 'g' }] }), finding({ sites: [{ file: '/app/c.py', line: 1, function: 'h' }] })], null);
  const files = byFile([a, b]);
  assert.deepEqual([...files.keys()], ['/app/a.py', '/app/c.py']);
  assert.deepEqual(files.get('/app/a.py')!.map((p) => p.line), [3, 19]);
});

test('the why dialog lists who could wake it under the headline, indented by depth', () => {
  assert.equal(whyDetail({
    g: 3, verdict: 'deadlock', headline: 'g3 waits.', steps: [
      { depth: 0, g: 3, obj: 1, text: 'g3 waits to acquire Lock#1 at a.py:4.', site: null },
      { depth: 1, g: 2, obj: null, text: 'g2 could release it: it waits to acquire Lock#2 at a.py:9.', site: null },
      { depth: 2, g: 3, obj: null, text: 'g3 could release it, but it waits too: the chain closes on itself.', site: null },
    ],
  }), '← g2 could release it: it waits to acquire Lock#2 at a.py:9.\n    ← g3 could release it, but it waits too: the chain closes on itself.');
});

test('a step the headline already says is not repeated in the dialog', () => {
  assert.equal(whyDetail({
    g: 1, verdict: 'never', headline: 'g1 waits for the value of AsyncResult#2 at a.py:25. It can never run again: nobody alive could set it.', steps: [
      { depth: 0, g: 1, obj: 2, text: 'g1 waits for the value of AsyncResult#2 at a.py:25.', site: null },
      { depth: 1, g: null, obj: 2, text: 'It can never run again: nobody alive could set it.', site: null },
    ],
  }), '');
});
