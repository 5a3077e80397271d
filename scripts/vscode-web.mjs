// Starts a real VS Code (code-server, installed by scripts/code-server.sh) on
// 127.0.0.1 with a packaged Greenlet Lens .vsix installed and a workspace
// open, and stays in the foreground until Ctrl-C / SIGTERM, which stop it.
// Used by `npm start` and by the end-to-end tests (test/e2e), so both run the
// same VS Code the same way.
//
// node scripts/vscode-web.mjs --code-server DIR --vsix FILE --workspace DIR
//                             [--profile DIR] [--port N]
//
// --profile holds everything code-server and the extension host write
// (HOME, XDG folders, user settings, extensions), so nothing lands in the
// user's home. --port 0 (the default) picks a free port. When ready it prints
// one line: "VS Code (code-server) with Greenlet Lens: http://127.0.0.1:PORT/?folder=…".
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    'code-server': { type: 'string' },
    vsix: { type: 'string' },
    workspace: { type: 'string' },
    profile: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
for (const name of ['code-server', 'vsix', 'workspace']) {
  if (!opt[name]) fail(`--${name} is required`);
}
const codeServer = resolve(opt['code-server']);
const entry = join(codeServer, 'out', 'node', 'entry.js');
const vsix = resolve(opt.vsix);
const workspace = resolve(opt.workspace);
// Beside the code-server install, not in it: a reinstall wipes that folder.
const profile = resolve(opt.profile ?? join(codeServer, '..', '..', '..', 'profile'));
const port = Number(opt.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0 for any free one), not ${JSON.stringify(opt.port)}`);
if (!existsSync(entry)) fail(`${entry} is missing: run scripts/code-server.sh`);
if (!existsSync(vsix)) fail(`${vsix} is missing: run npm run package`);
if (!existsSync(workspace)) fail(`the workspace ${workspace} does not exist`);

const dirs = {
  home: join(profile, 'home'),
  userData: join(profile, 'user-data'),
  extensions: join(profile, 'extensions'),
};
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
mkdirSync(join(dirs.userData, 'User'), { recursive: true });
// Quiet first start: no trust question, welcome page, tips or update checks,
// which would cover the editor and steal the keyboard. Written once, so a
// kept profile (npm start's) keeps what the user changed since.
const settings = join(dirs.userData, 'User', 'settings.json');
if (!existsSync(settings)) writeFileSync(settings, JSON.stringify({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'files.exclude': { '**/__pycache__': true },
  'window.restoreWindows': 'none',
}, null, 2));

// Run from a VS Code terminal, VSCODE_IPC_HOOK_CLI would make code-server
// hand the folder to that VS Code and exit; none of the editor's variables belong here.
const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(k)));
const env = {
  ...inherited,
  HOME: dirs.home,
  XDG_CONFIG_HOME: join(dirs.home, '.config'),
  XDG_CACHE_HOME: join(dirs.home, '.cache'),
  XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
  npm_config_cache: join(dirs.home, '.npm'),
  // pyenv's shims find their versions through HOME unless told.
  PYENV_ROOT: process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/root', '.pyenv'),
};
const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

// One code-server per profile: a second would take over the first one's session
// socket, and installing the .vsix under a running one would change its extensions.
const pidFile = join(profile, 'code-server.pid');
const running = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
if (running > 0 && alive(running)) {
  fail(`another VS Code started by Greenlet Lens (pid ${running}) uses the profile ${profile}; stop it first (kill ${running}) or give another --profile`);
}

const install = spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], {
  env, encoding: 'utf8', timeout: 120_000,
});
if (install.status !== 0) fail(`installing ${vsix} failed:\n${install.stdout}${install.stderr}`);

const listenPort = port || (await freePort());
if (port && !(await portFree(port))) fail(`port ${port} on 127.0.0.1 is in use; give another one, or 0 for any free port`);
const child = spawn(process.execPath, [entry, ...common,
  '--auth', 'none', '--bind-addr', `127.0.0.1:${listenPort}`, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override', workspace], {
  // Its own process group, so that stopping it reaches the extension host and the debuggees too.
  env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
});
writeFileSync(pidFile, String(child.pid));
const killGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
process.on('exit', () => { killGroup('SIGKILL'); rmSync(pidFile, { force: true }); });
let log = '';
const keep = (chunk) => { log = (log + chunk.toString()).slice(-20_000); if (process.env.GREENLET_LENS_VSCODE_LOG) process.stderr.write(chunk); };
child.stdout.on('data', keep);
child.stderr.on('data', keep);
child.on('exit', (code, signal) => {
  if (stopping) { killGroup('SIGKILL'); process.exit(0); }
  fail(`code-server exited (${signal ?? code}) before it was stopped:\n${log}`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  killGroup('SIGTERM');
  setTimeout(() => {
    console.error('vscode-web: code-server did not stop within 5 s of SIGTERM; killed');
    process.exit(1);
  }, 5000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const base = `http://127.0.0.1:${listenPort}`;
const deadline = Date.now() + 60_000;
for (;;) {
  if (await healthy(`${base}/healthz`)) break;
  if (Date.now() > deadline) { stop(); fail(`code-server did not answer on ${base} within 60 s:\n${log}`); }
  await new Promise((r) => setTimeout(r, 200));
}
console.log(`VS Code (code-server) with Greenlet Lens: ${base}/?folder=${encodeURIComponent(workspace)}`);

function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolvePort(p)); });
  });
}

function portFree(p) {
  return new Promise((resolveFree) => {
    const s = createServer();
    s.on('error', () => resolveFree(false));
    s.listen(p, '127.0.0.1', () => s.close(() => resolveFree(true)));
  });
}

/** A live code-server: a recycled pid of some other program does not count. */
function alive(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('entry.js'); } catch { return false; }
}

async function healthy(url) {
  try { return (await fetch(url)).ok; } catch { return false; }
}

function fail(message) {
  console.error(`vscode-web: ${message}`);
  process.exit(1);
}
