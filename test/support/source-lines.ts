/** Finding lines of test programs by a marker comment, so tests never hard-code line numbers. */
import * as fs from 'node:fs';

/** The line of `file` that contains `marker` (1-based). */
export function lineOf(file: string, marker: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${marker} not in ${file}`);
  return i + 1;
}
