/**
 * The shared secret that proves to the runtime that the adapter connecting
 * is the one the user meant (any local process can reach a loopback port).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AdapterError, AdapterErrorId } from '../errors';
import type { AttachConfig } from './launch-config';

/** launch: 32 random bytes, hex, passed to the runtime in GREENLET_LENS_SECRET. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Where `listen --port N` writes its secret unless told otherwise. */
export function defaultSecretFile(port: number): string {
  return path.join(os.tmpdir(), `greenlet-lens-${port}.secret`);
}

/**
 * attach: `secret`, else the contents of `secretFile`, else of the default
 * file. A program that is still starting may not have written the file yet,
 * so it is waited for until the deadline.
 */
export async function attachSecret(config: AttachConfig, timeoutMs: number): Promise<string> {
  if (config.secret !== null) return config.secret.trim();
  const file = config.secretFile ?? defaultSecretFile(config.port);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const secret = readSecretFile(file);
    if (secret !== null && secret !== '') return secret;
    if (Date.now() + 100 > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AdapterError(
    AdapterErrorId.SecretNotFound,
    `no secret for port ${config.port}: ${file} does not exist. Start the program with ` +
      `"python3 -m greenlet_lens listen --port ${config.port} app.py" (it writes that file), ` +
      'or give "secret" or "secretFile" in the attach configuration.',
  );
}

/** The file's contents, or null while it does not exist. */
function readSecretFile(file: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AdapterError(AdapterErrorId.SecretNotFound, `cannot read the secret file ${file}: ${(err as Error).message}`);
  }
  try {
    // fstat of the open file: what is checked is what is read, even if the path is swapped meanwhile.
    checkPrivate(file, fs.fstatSync(fd));
    return fs.readFileSync(fd, 'utf8').trim();
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The default file lives in the shared temp folder. One planted by another
 * user would make the adapter greet (and trust) that user's listener; one
 * others can read lets them drive the program. Either way the secret proves
 * nothing, so it is refused. (No POSIX owner on Windows: not checked there.)
 */
function checkPrivate(file: string, st: fs.Stats): void {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  if (st.uid !== uid) {
    throw new AdapterError(
      AdapterErrorId.SecretFileUnsafe,
      `the secret file ${file} belongs to user id ${st.uid}, not to you (${uid}), so it may not be your program's. ` +
        'Delete it and start the program again with "python3 -m greenlet_lens listen", or give "secret" in the attach configuration.',
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new AdapterError(
      AdapterErrorId.SecretFileUnsafe,
      `the secret file ${file} can be read or written by other users (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}), ` +
        `so anyone on this machine could take over the program. Run "chmod 600 ${file}" (greenlet_lens listen creates it so).`,
    );
  }
}
