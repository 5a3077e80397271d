/**
 * Checks a launch or attach configuration before anything is started, so a
 * typo in launch.json is reported as that, with the attribute's name, rather
 * than as a Python traceback or a connection timeout later.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AttachArguments, LaunchArguments } from '../../shared/protocol/custom-dap';
import {
  configurationProblems, DEFAULT_BLOCKED_LOOP_MS, DEFAULT_MAX_THREADS, RUNTIME_HOST,
} from '../../shared/protocol/launch-attributes';
import { AdapterError, AdapterErrorId, invalidConfig } from '../errors';

/** Options both kinds of session share. */
export interface SessionOptions {
  readonly justMyCode: boolean;
  readonly blockedLoopMs: number;
  readonly maxThreads: number;
  /** Absolute path of the trace to leave, or null. */
  readonly trace: string | null;
}

export interface LaunchConfig extends SessionOptions {
  readonly target: { readonly kind: 'program'; readonly path: string } | { readonly kind: 'module'; readonly name: string };
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | null>>;
  readonly python: string;
  readonly stopOnEntry: boolean;
  /** Follow forked children as child sessions (runtime/children.ts). */
  readonly subProcess: boolean;
  /** Follow spawned new Pythons too (`"followChildren": true`). */
  readonly followSpawned: boolean;
}

export interface AttachConfig extends SessionOptions {
  readonly host: string;
  readonly port: number;
  readonly secret: string | null;
  readonly secretFile: string | null;
  /** A forked child's session: the token its parent's ChildPort announced it with. */
  readonly subProcessToken: string | null;
}

/**
 * The attributes' types and values are checked by the one table of
 * shared/protocol/launch-attributes.ts (the extension checks the same);
 * what is left here is what only the adapter can check: files and folders.
 */
function checked(raw: unknown, request: 'launch' | 'attach'): Record<string, unknown> {
  const a = { ...(raw as Record<string, unknown>), request };
  const problem = configurationProblems(a)[0];
  if (problem !== undefined) throw invalidConfig(problem);
  return a;
}

/** An attribute the table has checked: its value, or undefined when unset (null is unset too). */
function opt<T>(a: Record<string, unknown>, key: string): T | undefined {
  const v = a[key];
  return v === undefined || v === null ? undefined : (v as T);
}

/**
 * `raw` is whatever the client sent: nothing in it is trusted. Relative paths
 * are resolved as `cd CWD && PYTHON PROGRAM` would resolve them. Without
 * `cwd`, the program runs in its own folder (a module in `baseDir`); the
 * extension fills `cwd` with the workspace folder, VS Code's Python
 * debugger's default, so this default only matters to other DAP clients.
 */
export function validateLaunch(raw: LaunchArguments, baseDir: string = process.cwd()): LaunchConfig {
  const a = checked(raw, 'launch');
  const cwdAttr = opt<string>(a, 'cwd');
  const givenCwd = cwdAttr === undefined ? null : existingDir(path.resolve(baseDir, cwdAttr));
  const program = opt<string>(a, 'program');
  let target: LaunchConfig['target'];
  if (program !== undefined && program.trim() !== '') {
    const file = path.resolve(givenCwd ?? baseDir, program);
    if (!fs.existsSync(file)) throw new AdapterError(AdapterErrorId.ProgramNotFound, `launch.json: "program" ${JSON.stringify(file)} does not exist.`);
    if (isDirectory(file)) throw new AdapterError(AdapterErrorId.ProgramNotFound, `launch.json: "program" ${JSON.stringify(file)} is a directory, not a Python file.`);
    target = { kind: 'program', path: file };
  } else {
    target = { kind: 'module', name: opt<string>(a, 'module')! };
  }
  const cwd = givenCwd ?? (target.kind === 'program' ? path.dirname(target.path) : existingDir(baseDir));
  const python = opt<string>(a, 'python') || 'python3';
  return {
    target,
    args: opt<string[]>(a, 'args')?.slice() ?? [],
    cwd,
    env: { ...opt<Record<string, string | null>>(a, 'env') },
    // A path such as ".venv/bin/python" is the cwd's; a bare name is looked up on PATH.
    python: python.includes('/') || python.includes(path.sep) ? path.resolve(cwd, python) : python,
    stopOnEntry: opt<boolean>(a, 'stopOnEntry') ?? false,
    subProcess: opt<boolean>(a, 'subProcess') ?? true,
    // As record --follow-children: new Pythons too (the table refuses it with "subProcess": false).
    followSpawned: opt<boolean>(a, 'followChildren') ?? false,
    ...sessionOptions(a, cwd),
  };
}

export function validateAttach(raw: AttachArguments, baseDir: string = process.cwd()): AttachConfig {
  const a = checked(raw, 'attach');
  const secretFile = opt<string>(a, 'secretFile');
  return {
    host: RUNTIME_HOST,
    port: a['port'] as number,
    secret: opt<string>(a, 'secret') ?? null,
    secretFile: secretFile === undefined ? null : path.resolve(baseDir, secretFile),
    subProcessToken: opt<string>(a, 'subProcessToken') ?? null,
    ...sessionOptions(a, baseDir),
  };
}

function sessionOptions(a: Record<string, unknown>, dir: string): SessionOptions {
  const trace = opt<string>(a, 'trace');
  return {
    justMyCode: opt<boolean>(a, 'justMyCode') ?? true,
    blockedLoopMs: opt<number>(a, 'blockedLoopMs') ?? DEFAULT_BLOCKED_LOOP_MS,
    maxThreads: opt<number>(a, 'maxThreads') ?? DEFAULT_MAX_THREADS,
    trace: trace === undefined || trace === '' ? null : path.resolve(dir, trace),
  };
}

function existingDir(dir: string): string {
  if (!isDirectory(dir)) {
    throw new AdapterError(AdapterErrorId.CwdNotFound, `launch.json: "cwd" ${JSON.stringify(dir)} is not an existing directory.`);
  }
  return dir;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export interface ReplayConfig {
  /** Absolute path of the trace to replay. */
  readonly trace: string;
  readonly maxThreads: number;
}

/** A launch with `replay`: a recorded trace instead of a program (relative to `cwd`, else `baseDir`). */
export function validateReplay(raw: LaunchArguments, baseDir: string = process.cwd()): ReplayConfig {
  const a = checked(raw, 'launch');
  const replay = opt<string>(a, 'replay');
  if (replay === undefined || replay === '') {
    throw invalidConfig({ kind: 'value', attribute: 'replay', text: '"replay" must be the path of a trace file (.glt).' });
  }
  const cwd = opt<string>(a, 'cwd');
  const dir = cwd === undefined ? baseDir : path.resolve(baseDir, cwd);
  return { trace: path.resolve(dir, replay), maxThreads: opt<number>(a, 'maxThreads') ?? DEFAULT_MAX_THREADS };
}
