// node scripts/servers.mjs: gunicorn and Flask for the multi-process tests
// on stacks whose Python lacks them (the pyenv virtual environments; Debian's
// come from apt in setup.sh). Both are pure Python and in the local package
// index, so Debian's pip installs them once, with their dependencies, into
// <cache>/stacks/servers: a --target folder the tests put on PYTHONPATH
// (test/support/stacks.ts serverPath). MarkupSafe's compiled speedups there
// are CPython 3.11's; other Pythons use its pure-Python fallback.
// Idempotent; a failure is reported and is not fatal (the tests then skip,
// saying why).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './stacks.mjs';

// packaging named too: pip counts Debian's own as already there, which the other Pythons do not see.
export const SERVER_PACKAGES = ['gunicorn==26.2.0', 'flask==3.1.3', 'packaging'];

export function serversDir(env = process.env) {
  return path.join(cacheDir(env), 'servers');
}

function main() {
  const dir = serversDir();
  const stampFile = path.join(dir, '.installed.json');
  const stamp = JSON.stringify(SERVER_PACKAGES);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    console.log(`servers: ${SERVER_PACKAGES.join(', ')} in ${dir}`);
    return 0;
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  // No retries: the default index is out of reach here, the configured local one answers at once.
  const pip = spawnSync('/usr/bin/python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--retries', '0',
    '--timeout', '15', '--no-warn-script-location', '--ignore-installed', '--target', tmp, ...SERVER_PACKAGES], { encoding: 'utf8', timeout: 300_000 });
  if (pip.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const tail = `${pip.stderr ?? ''}${pip.error ? String(pip.error) : ''}`.trim().split('\n').slice(-3).join('\n');
    console.log(`servers: cannot install ${SERVER_PACKAGES.join(', ')} with /usr/bin/python3 -m pip (the gunicorn tests skip on stacks without them):\n${tail}`);
    return 0;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  fs.writeFileSync(stampFile, stamp);
  console.log(`servers: installed ${SERVER_PACKAGES.join(', ')} into ${dir}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
