/**
 * "Greenlet Lens: Copy Listen Command": the shell command that starts a
 * program under `greenlet_lens listen`, so that an attach configuration can
 * connect to it. The runtime ships inside the extension, so the command
 * names its folder itself (on PYTHONPATH, for that one command): the user
 * needs to know neither where the extension lives nor PYTHONPATH.
 */

/** A word the POSIX shell takes as it is. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ListenCommandParts {
  /** The folder holding the greenlet_lens package (the extension's runtime-instrumentation). */
  readonly runtimeDir: string;
  readonly python: string;
  readonly port: number;
  /** The program, as the user would type it in a terminal (relative to where they run it). */
  readonly program: string;
}

export function listenCommand(p: ListenCommandParts): string {
  // Keeps a PYTHONPATH the user has, after the runtime's folder.
  return `env PYTHONPATH=${shellQuote(p.runtimeDir)}\${PYTHONPATH:+:$PYTHONPATH} ${shellQuote(p.python)} -m greenlet_lens listen --port ${p.port} -- ${shellQuote(p.program)}`;
}
