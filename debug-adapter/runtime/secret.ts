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
    try {
      const secret = fs.readFileSync(file, 'utf8').trim();
      if (secret !== '') return secret;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new AdapterError(AdapterErrorId.SecretNotFound, `cannot read the secret file ${file}: ${(err as Error).message}`);
      }
    }
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
