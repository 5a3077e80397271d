/**
 * Getting from a configuration to a runtime that has said hello: for launch,
 * check the interpreter, listen, start the program and wait for its runtime
 * to connect; for attach, read the secret and dial the listening program.
 * Every way this can fail ends in one AdapterError that says what to do.
 */
import { AdapterError, AdapterErrorId, asAdapterError } from '../errors';
import { ChannelServer, RuntimeChannel } from './channel';
import { Debuggee, debuggeeEnv, runtimeArgs, runtimeDir } from './launcher';
import type { AttachConfig, LaunchConfig } from './launch-config';
import type { HelloNotification } from './protocol';
import { checkPython } from './python';
import { attachSecret, newSecret } from './secret';

export interface Established {
  readonly channel: RuntimeChannel;
  readonly hello: HelloNotification;
}

/**
 * `onDebuggee` receives the process as soon as it exists, so its output is
 * shown even when it dies before connecting.
 */
export async function establishLaunch(
  config: LaunchConfig,
  timeoutMs: number,
  onDebuggee: (d: Debuggee) => void,
): Promise<Established> {
  const rtDir = runtimeDir();
  // In the launch's cwd and environment: both decide which gevent (if any) the program will import.
  await checkPython(config.python, debuggeeEnv(config, process.env, {}, rtDir), config.cwd, rtDir);
  const server = await ChannelServer.open();
  const secret = newSecret();
  const env = debuggeeEnv(config, process.env, {
    GREENLET_LENS_CONNECT: `127.0.0.1:${server.port}`,
    GREENLET_LENS_SECRET: secret,
  }, rtDir);
  const debuggee = new Debuggee(config.python, runtimeArgs(config), config.cwd, env);
  onDebuggee(debuggee);
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const abort = new Promise<AdapterError>((resolve) => {
    timer = setTimeout(() => resolve(new AdapterError(
      AdapterErrorId.ConnectTimeout,
      `the program's runtime did not connect within ${timeoutMs / 1000} s.${tailNote(debuggee)}`,
    )), timeoutMs);
    debuggee.exited.then(
      (info) => resolve(new AdapterError(
        AdapterErrorId.ExitedBeforeConnect,
        `the program exited with status ${info.code}${info.signal !== null ? ` (${info.signal})` : ''} before the Greenlet Lens runtime connected.${tailNote(debuggee)}`,
      )),
      (err: unknown) => resolve(err instanceof AdapterError ? err : new AdapterError(AdapterErrorId.SpawnFailed, String(err))),
    );
  });
  try {
    const channel = await server.accept(abort);
    const hello = await channel.handshake(secret, Math.max(1000, deadline - Date.now()), (h) => {
      // Any local process can reach the port. Beyond the secret, the pid ties the connection to the
      // process the adapter started; every runtime sends it, so a hello without one is refused too.
      // Checked before the secret is sent: an impostor learns nothing.
      if (h.pid === debuggee.pid) return;
      channel.close();
      throw new AdapterError(
        AdapterErrorId.HandshakeFailed,
        h.pid === 0
          ? `the process that connected gave no pid in its hello, so it cannot be told from the program the adapter started (pid ${String(debuggee.pid)})`
          : `the process that connected (pid ${h.pid}) is not the program the adapter started (pid ${String(debuggee.pid)})`,
      );
    });
    return { channel, hello };
  } catch (err) {
    // Ended first, so the stderr tail in the message holds all the program said while dying.
    let killNote = '';
    try {
      await debuggee.terminate();
    } catch (killErr) {
      killNote = `\n${asAdapterError(killErr, AdapterErrorId.TerminateFailed).message}`;
    }
    const why = explain(err, debuggee);
    throw killNote === '' ? why : new AdapterError(why.id, why.message + killNote);
  } finally {
    clearTimeout(timer);
    server.close();
  }
}

export async function establishAttach(config: AttachConfig, timeoutMs: number): Promise<Established> {
  const deadline = Date.now() + timeoutMs;
  const secret = await attachSecret(config, timeoutMs);
  const channel = await RuntimeChannel.connect(config.host, config.port, Math.max(1000, deadline - Date.now()));
  try {
    const hello = await channel.handshake(secret, Math.max(1000, deadline - Date.now()));
    return { channel, hello };
  } catch (err) {
    channel.close();
    throw err;
  }
}

/** Adds what the program wrote to stderr, which usually says why the runtime could not start. */
function explain(err: unknown, debuggee: Debuggee): AdapterError {
  const e = err instanceof AdapterError ? err : new AdapterError(AdapterErrorId.HandshakeFailed, String(err));
  if (e.id === AdapterErrorId.ExitedBeforeConnect || e.id === AdapterErrorId.ConnectTimeout || e.id === AdapterErrorId.SpawnFailed) return e;
  return new AdapterError(e.id, e.message + tailNote(debuggee));
}

function tailNote(debuggee: Debuggee): string {
  const tail = debuggee.stderrTail.trim();
  if (tail === '') return '';
  const lines = tail.split('\n').slice(-15).join('\n');
  return `\nIts last output on stderr:\n${lines}`;
}
