/**
 * The standalone adapter, dist/adapter.js: DAP over stdin/stdout (or
 * `--server=PORT` for debugging the adapter itself), one session per process.
 */
import * as os from 'os';
import { DebugSession } from '@vscode/debugadapter';
import { killAllDebuggees } from './runtime/launcher';
import { GreenletDebugSession } from './session/debug-session';

DebugSession.run(GreenletDebugSession);

/**
 * However the adapter ends, the programs it launched (and their children)
 * end with it: a client that kills the adapter, a Ctrl-C in the terminal it
 * runs in, or a plain exit would otherwise leave them running unseen, and a
 * program stopped at a breakpoint would wait forever. Attached programs are
 * not the adapter's (there is no Debuggee for them); the runtime lets them
 * run on when the connection drops.
 */
function killLaunched(): void {
  // stdout carries DAP; stderr is all that is left to say it on.
  for (const err of killAllDebuggees()) process.stderr.write(`greenlet-lens adapter: ${err.message}\n`);
}

process.on('exit', killLaunched);
// A listener replaces Node's default of dying at once without 'exit', so each one exits itself.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killLaunched();
    process.exit(128 + os.constants.signals[signal]);
  });
}
