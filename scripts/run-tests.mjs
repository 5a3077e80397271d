// Runs node:test over the *.test.js files under the given folders (Node 20's
// --test takes files, not globs).
import { spawnSync } from 'node:child_process';
import { testFiles } from './test-files.mjs';

const files = process.argv.slice(2).flatMap((d) => testFiles(d));
if (files.length === 0) {
  console.error('run-tests: no test files found under ' + process.argv.slice(2).join(', '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
