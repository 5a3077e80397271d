/**
 * What test/programs/daemonish.py leaves: its main file and a folder of
 * files it opened at every descriptor number up past the runtime's own.
 * Each must hold only the program's bytes, and each close() must have worked.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function assertDaemonFilesIntact(out: string, stdout: string): void {
  assert.doesNotMatch(stdout, /close of file \d+ failed/, 'the program\'s own close() works');
  assert.equal(fs.readFileSync(out, 'utf8'), Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''), 'only the program\'s bytes');
  const folder = `${out}.d`;
  const names = fs.readdirSync(folder);
  assert.ok(names.length > 900, `${names.length} files: enough to take every descriptor number the runtime used`);
  const bad: string[] = [];
  for (const name of names) {
    const k = Number(name.slice(1));
    const text = fs.readFileSync(path.join(folder, name), 'utf8');
    if (text !== [0, 50, 100, 150].map((i) => `file ${k} line ${i}\n`).join('')) bad.push(`${name}: ${JSON.stringify(text.slice(0, 60))} (${text.length} chars)`);
  }
  assert.deepEqual(bad, [], 'files holding other bytes than the program\'s own');
}
