// The *.test.js files under a folder, sorted (Node 20's --test takes files, not globs).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function testFiles(dir, out = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) testFiles(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
