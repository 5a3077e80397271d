/**
 * Signalling the debuggee's process group, which holds the program and every
 * process it started. A group id stays valid while any member lives, even
 * after its leader (the Python process) has exited, so the group is what
 * gets signalled; ESRCH is the only answer that means "all gone".
 */
import * as fs from 'fs';
import { AdapterError, AdapterErrorId } from '../errors';

/** Sends `signal` to every process of group `pgid`: true if sent, false if the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: a member runs as another user (setuid) and no member could be signalled;
    // the program is not gone, so saying nothing would leave it running unseen.
    throw new AdapterError(
      AdapterErrorId.TerminateFailed,
      `cannot send ${signal} to the program's process group ${pgid} (${code ?? String(err)}); ` +
        `end it by hand with "kill -KILL -- -${pgid}".`,
    );
  }
}

/**
 * Whether a member of group `pgid` still runs. Zombies do not count: a
 * child whose parent died is reparented, and a parent that never reaps (a
 * container's init, say) would otherwise keep the group "alive" forever.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    // EPERM: members exist that we may not signal; they are alive all the same.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return process.platform !== 'linux' || linuxGroupHasLiveMember(pgid);
}

/** Resolves true once `done()` holds, false when `ms` pass first. */
export async function waitUntil(done: () => boolean, ms: number, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function linuxGroupHasLiveMember(pgid: number): boolean {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat !== null && stat.pgrp === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

/** Fields of /proc/PID/stat, or null when the process is gone. */
export function procStat(pid: number): { state: string; pgrp: number } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
}
