/**
 * Getting from a configuration to a runtime that has proved itself: for
 * launch, check the interpreter, start the program with its end of a socket
 * pair and wait for its runtime's hello; for attach, read the secret and dial
 * the listening program.
 * Every way this can fail ends in one AdapterError that says what to do.
 */
import { AdapterError, AdapterErrorId, asAdapterError } from '../errors';
import { RuntimeChannel } from './channel';
import { Debuggee, debuggeeEnv, runtimeArgs, runtimeDir } from './launcher';
import type { AttachConfig, LaunchConfig } from './launch-config';
import type { HelloNotification } from './protocol';
import { checkPython } from './python';
import { claimFrame } from './children';
import { encodeJson } from './framing';
import { attachSecret, newSecret } from './secret';

export interface Established {
  readonly channel: RuntimeChannel;
  readonly hello: HelloNotification;
  /** launch: the session's secret, which its forked children's sessions prove themselves with. */
  readonly secret?: string;
}

/**
 * `onDebuggee` receives the process as soon as it exists, so its output is
 * shown even when it dies before connecting.
 */
export async function establishLaunch(
  config: LaunchConfig,
  timeoutMs: number,
  onDebuggee: (d: Debuggee) => void,
  childrenPort: number | null = null,
): Promise<Established> {
  const rtDir = runtimeDir();
  const secret = newSecret();
  const extra: Record<string, string> = { GREENLET_LENS_SECRET: secret };
  if (childrenPort !== null) extra['GREENLET_LENS_CHILDREN_PORT'] = String(childrenPort);
  // New Pythons it starts join through the same port (docs/debug-protocol.md, "Children").
  if (childrenPort !== null && config.followSpawned) extra['GREENLET_LENS_FOLLOW_SPAWNED'] = '1';
  const env = debuggeeEnv(config, process.env, extra, rtDir);
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
  const socket = debuggee.channelSocket;
  const channel = socket !== null ? new RuntimeChannel(socket) : null;
  try {
    if (channel === null) throw await abort;
    const hello = await Promise.race([
      channel.handshake(secret, Math.max(1000, deadline - Date.now()), (h) => {
        // Only the child holds the socket pair's other end; its pid says the same once more.
        if (h.pid === debuggee.pid) return;
        throw new AdapterError(
          AdapterErrorId.HandshakeFailed,
          `the runtime that answered is pid ${h.pid}, not the program the adapter started (pid ${String(debuggee.pid)})`,
        );
      }).catch(async (err: unknown) => {
        // A channel closed before the hello usually means the program died: say how.
        if (!channel.isOpen) {
          const exit = await Promise.race([abort, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
          if (exit !== null) throw exit;
        }
        throw err;
      }),
      abort.then((err) => Promise.reject(err)),
    ]);
    return { channel, hello, secret };
  } catch (err) {
    channel?.close();
    // Ended first, so the stderr tail in the message holds all the program said while dying.
    let killNote = '';
    try {
      await debuggee.terminate();
    } catch (killErr) {
      killNote = `\n${asAdapterError(killErr, AdapterErrorId.TerminateFailed).message}`;
    }
    const why = await interpreterProblem(config, rtDir, explain(err, debuggee));
    throw killNote === '' ? why : new AdapterError(why.id, why.message + killNote);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long attach waits for a program that is still starting (its secret file, its port):
 * long enough for `listen` to come up, short enough that attaching to nothing fails at once.
 */
export const ATTACH_WAIT_MS = 2000;

export async function establishAttach(config: AttachConfig, timeoutMs: number): Promise<Established> {
  const deadline = Date.now() + timeoutMs;
  const wait = Math.min(timeoutMs, ATTACH_WAIT_MS);
  let secret: string;
  try {
    secret = await attachSecret(config, wait);
  } catch (err) {
    // No secret file and nothing listening: the program is not running under `listen`; say that first.
    if (err instanceof AdapterError && err.id === AdapterErrorId.SecretNotFound && !(await RuntimeChannel.listens(config.host, config.port))) {
      throw new AdapterError(err.id, `cannot connect to the Greenlet Lens runtime at ${config.host}:${config.port}: nothing listens there, and ${err.message}`);
    }
    throw err;
  }
  // A forked child's session claims its worker at the launch adapter's own children port (runtime/children.ts).
  const claim = config.subProcessToken === null ? undefined : encodeJson(claimFrame(config.subProcessToken));
  const channel = await RuntimeChannel.connect(config.host, config.port, claim === undefined ? wait : Math.max(1000, deadline - Date.now()), claim);
  try {
    const hello = await channel.handshake(secret, Math.max(1000, deadline - Date.now()));
    return { channel, hello };
  } catch (err) {
    channel.close();
    throw err;
  }
}

/**
 * A runtime that could not start or died before connecting: when the
 * interpreter itself is the problem (not there, no gevent nor greenlet), the
 * error says that, with the install commands. Probed only then, in the
 * launch's cwd and environment (both decide which gevent the program
 * imports): a probe before every launch costs an interpreter start with
 * gevent imported (about 0.25 s) that the runtime's own start repeats.
 */
async function interpreterProblem(config: LaunchConfig, rtDir: string, err: AdapterError): Promise<AdapterError> {
  if (err.id !== AdapterErrorId.ExitedBeforeConnect && err.id !== AdapterErrorId.SpawnFailed) return err;
  try {
    await checkPython(config.python, debuggeeEnv(config, process.env, {}, rtDir), config.cwd, rtDir);
  } catch (probed) {
    return asAdapterError(probed, err.id);
  }
  return err;
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
