/**
 * The shared secret both ends prove they know (channel.ts) before anything
 * else crosses the connection: any local process can reach a loopback port.
 * The secret itself is never sent; `listen` keeps it in a folder only its
 * user can enter (docs/security.md).
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

/** The folder `listen` keeps its secret in: $TMPDIR/greenlet-lens-UID, 0700. */
export function privateDir(): string {
  return path.join(os.tmpdir(), `greenlet-lens-${process.getuid?.() ?? 'user'}`);
}

/** Where `listen --port N` writes its secret unless told otherwise. */
export function defaultSecretFile(port: number): string {
  return path.join(privateDir(), `port-${port}.secret`);
}

/** What `listen` writes: 32 random bytes in hex. Anything else is not a secret file. */
const SECRET_FORMAT = /^[0-9a-f]{64}\n?$/;

/**
 * attach: `secret`, else the contents of `secretFile`, else of the default
 * file. A program that is still starting may not have written the file yet,
 * so it is waited for until the deadline.
 */
export async function attachSecret(config: AttachConfig, timeoutMs: number): Promise<string> {
  if (config.secret !== null) return config.secret.trim();
  const file = config.secretFile ?? defaultSecretFile(config.port);
  if (config.secretFile === null) checkPrivateDir(path.dirname(file));
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
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new AdapterError(AdapterErrorId.SecretFileUnsafe, `the secret file ${file} is a symbolic link; give the file itself`);
    throw new AdapterError(AdapterErrorId.SecretNotFound, `cannot read the secret file ${file}: ${(err as Error).message}`);
  }
  try {
    // fstat of the open file: what is checked is what is read, even if the path is swapped meanwhile.
    const st = fs.fstatSync(fd);
    checkPrivate(file, st);
    // Only ever a small secret file is read: any other file (a key, a token) named here is refused unread.
    const text = st.size <= 80 ? fs.readFileSync(fd, 'utf8') : '?';
    if (text === '') return null; // being written
    if (!SECRET_FORMAT.test(text)) {
      throw new AdapterError(
        AdapterErrorId.SecretFileUnsafe,
        `${file} is not a Greenlet Lens secret file (64 hexadecimal digits, as "greenlet_lens listen" writes); it is not used`,
      );
    }
    return text.trim();
  } finally {
    fs.closeSync(fd);
  }
}

/** The default folder must be the user's own and closed to others, or its files prove nothing. */
function checkPrivateDir(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return; // not there yet: the file in it is waited for
  }
  const uid = process.getuid?.();
  if (uid === undefined) return;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new AdapterError(
      AdapterErrorId.SecretFileUnsafe,
      `${dir} is not a private folder of yours (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}${st.isDirectory() ? '' : ', not a folder'}), ` +
        'so a secret in it proves nothing. Remove it and start the program again with "python3 -m greenlet_lens listen".',
    );
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
  if (!st.isFile()) {
    throw new AdapterError(AdapterErrorId.SecretFileUnsafe, `the secret file ${file} is not a regular file`);
  }
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
