/**
 * Malformed traces at the command line: truncated, bit-flipped, a newer
 * format version, random bytes. Each gets a clear error and a non-zero exit,
 * never a stack trace, and what could be read is still shown.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { NODE_ONLY } from '../support/stacks';
import { EXAMPLES, cli, record, tmpFile } from './support';

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

test('every command gives a clear error for truncated, bit-flipped, newer-version and random traces', { skip: NODE_ONLY }, () => {
  const rec = record(path.join(EXAMPLES, 'queue_workers.py'));
  const good = fs.readFileSync(rec.trace);
  const rand = seeded(7);
  const cases: [string, Buffer, RegExp][] = [];
  for (let i = 0; i < 6; i++) {
    const cut = 20 + Math.floor(rand() * (good.length - 40));
    cases.push([`truncated at ${cut}`, good.subarray(0, cut), /truncated|ends inside|incomplete/i]);
  }
  for (let i = 0; i < 6; i++) {
    const flipped = Buffer.from(good);
    const at = 40 + Math.floor(rand() * (good.length - 41));
    flipped[at] = flipped[at]! ^ (1 << Math.floor(rand() * 8));
    cases.push([`bit flipped at ${at}`, flipped, /corrupt|CRC|header|record|truncated/i]);
  }
  const newer = Buffer.from(good);
  newer.writeUInt16LE(2, 8);
  cases.push(['format 2.0', newer, /version/i]);
  cases.push(['random bytes', Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256))), /not a Greenlet Lens trace|magic/i]);

  for (const [what, bytes, message] of cases) {
    const file = tmpFile('bad.glt');
    fs.writeFileSync(file, bytes);
    for (const command of [['cat'], ['state'], ['stats'], ['export', '--format', 'perfetto', '-o', tmpFile('out.json')]]) {
      const r = cli([...command, file]);
      const label = `${command[0]} on ${what}`;
      assert.notEqual(r.signal, 'SIGSEGV', label);
      assert.ok(r.status === 1 || (r.status === 0 && /incomplete/.test(r.stderr)), `${label}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, message, `${label}: ${r.stderr}`);
      assert.match(r.stderr, /^greenlet-lens: /m, label);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `${label}: a stack trace\n${r.stderr}`);
    }
  }
});
