import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neutralizeBidi } from '../../shared/model/display-text';
import { TraceModel } from '../../shared/model/trace-model';
import type { TraceEvent } from '../../shared/trace/events';

function* shortLived(n: number): Generator<TraceEvent> {
  let seq = 0;
  yield { seq: seq++, t: 0, kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<main>', site: null, stack: [] };
  for (let g = 2; g < n + 2; g++) {
    yield { seq: seq++, t: g, kind: 'spawn', g, parent: 1, gkind: 'gevent', name: '', func: 'job', site: null, stack: [] };
    yield { seq: seq++, t: g, kind: 'switch', from: 1, to: g, throw: false };
    yield { seq: seq++, t: g, kind: 'exit', g, flags: { started: true, ready: true, successful: true, killed: false }, value: '', error: '' };
    yield { seq: seq++, t: g, kind: 'switch', from: g, to: 1, throw: false };
  }
}

test('a model without history (the live adapter) keeps only the latest state: no events, the last dead greenlets', () => {
  const m = new TraceModel({ history: false, keepDead: 100 });
  for (const ev of shortLived(50_000)) m.append(ev);
  assert.equal(m.eventCount, 200_001);
  assert.equal(m.log.length, 0, 'no event is stored');
  const s = m.latest();
  assert.equal(s.greenlets.length, 101, 'main and the 100 latest dead');
  assert.equal(s.greenlets.at(-1)!.id, 50_001);
  assert.throws(() => m.event(5), /keeps no events/);
  assert.throws(() => m.stateAt(5), /keeps only the latest/);
  const full = new TraceModel();
  for (const ev of shortLived(2000)) full.append(ev);
  assert.equal(full.latest().greenlets.length, 2001, 'with history, nothing is forgotten');
});

test('bidirectional controls in names are shown as escapes on every display', () => {
  assert.equal(neutralizeBidi('admin\u202egnp.exe'), 'admin<U+202E>gnp.exe');
  assert.equal(neutralizeBidi('a\u2066b\u2069c\u200fd'), 'a<U+2066>b<U+2069>c<U+200F>d');
  assert.equal(neutralizeBidi('plain · text'), 'plain · text');
  const m = new TraceModel();
  m.append({ seq: 0, t: 0, kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: 'x\u202eevil', func: '<main>', site: null, stack: [] });
  m.append({ seq: 1, t: 1, kind: 'mark', label: 'm\u202e' });
  const s = m.latest();
  assert.equal(s.greenlets[0]!.label, 'g1 x<U+202E>evil');
  assert.equal(s.marks[0]!.label, 'm<U+202E>');
});
