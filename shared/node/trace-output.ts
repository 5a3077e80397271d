/**
 * Opening a file to record a trace into, by the rule every writer keeps
 * (docs/security.md): a new file is created 0600; an existing trace (or an
 * empty file) of this user is truncated and made private; anything else (a
 * file that is not a trace, another user's file, a symbolic link, a device)
 * is refused, so a mistyped output path never destroys a file and a file
 * planted by another user never receives the program's data. The Python
 * runtime's writer.open_trace is the same rule.
 */
import * as fs from 'fs';
import { MAGIC } from '../trace/schema';

export class TraceOutputRefused extends Error {
  override readonly name = 'TraceOutputRefused';
}

/** A descriptor open for writing, positioned at the start of an empty file. */
export function openTraceOutput(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new TraceOutputRefused(`${file} is a symbolic link; give the trace file's own path`);
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new TraceOutputRefused(`${file} is not a regular file; refusing to record into it`);
    const uid = process.getuid?.();
    // Its owner could read the program's data in it (a file planted in /tmp, say).
    if (uid !== undefined && st.uid !== uid) throw new TraceOutputRefused(`${file} belongs to another user (uid ${st.uid}); refusing to record into it`);
    if (st.size > 0) {
      const head = Buffer.alloc(MAGIC.length);
      fs.readSync(fd, head, 0, head.length, 0);
      if (!head.equals(Buffer.from(MAGIC))) {
        throw new TraceOutputRefused(`${file} exists and is not a Greenlet Lens trace; refusing to overwrite it (remove it, or record to another file)`);
      }
    }
    fs.ftruncateSync(fd, 0);
    if ((st.mode & 0o077) !== 0) fs.fchmodSync(fd, 0o600);
    return fd;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}
