/**
 * A recording that followed forked children is one thing to the user: the
 * parent's trace `run.glt` and one trace per child in `run.glt.d/<pid>.glt`
 * (written by runtime-instrumentation/greenlet_lens/forks.py). Given either
 * the parent's file or the folder, this lists every process's trace, the
 * parent first, then the children by pid.
 */

import * as fs from 'fs';
import * as path from 'path';

export const CHILDREN_FOLDER_SUFFIX = '.d';

export interface ProcessTrace {
  readonly file: string;
  /** The pid in the file's name (a child's), or null for the parent's trace. */
  readonly pid: number | null;
}

const CHILD_NAME = /^(\d+)(?:-(\d+))?\.glt$/;

export function childrenFolderOf(traceFile: string): string {
  return traceFile + CHILDREN_FOLDER_SUFFIX;
}

/**
 * The traces of a recording: [the file] when it has no children folder;
 * the parent and its children for a parent trace or a children folder;
 * the folder's traces alone when its parent's trace is gone.
 */
export function processTraces(arg: string): ProcessTrace[] {
  let parent: string | null = arg;
  let folder = childrenFolderOf(arg);
  if (isDirectory(arg)) {
    const trimmed = arg.replace(/[\\/]+$/, '');
    folder = trimmed;
    parent = trimmed.endsWith(CHILDREN_FOLDER_SUFFIX) ? trimmed.slice(0, -CHILDREN_FOLDER_SUFFIX.length) : null;
    if (parent !== null && !isFile(parent)) parent = null;
  }
  const traces: ProcessTrace[] = parent === null ? [] : [{ file: parent, pid: null }];
  if (isDirectory(folder)) traces.push(...childTraces(folder));
  // A folder without any trace still names its (missing) parent, for the error.
  if (traces.length === 0) traces.push({ file: parent ?? arg, pid: null });
  return traces;
}

export function childTraces(folder: string): ProcessTrace[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const found: { file: string; pid: number; n: number }[] = [];
  for (const name of names) {
    const m = CHILD_NAME.exec(name);
    if (m === null) continue;
    found.push({ file: path.join(folder, name), pid: Number(m[1]), n: m[2] === undefined ? 1 : Number(m[2]) });
  }
  found.sort((a, b) => a.pid - b.pid || a.n - b.n);
  return found.map(({ file, pid }) => ({ file, pid }));
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
