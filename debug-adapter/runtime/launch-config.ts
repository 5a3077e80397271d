/**
 * Checks a launch or attach configuration before anything is started, so a
 * typo in launch.json is reported as that, with the attribute's name, rather
 * than as a Python traceback or a connection timeout later.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AttachArguments, LaunchArguments } from '../../shared/protocol/custom-dap';
import { AdapterError, AdapterErrorId, invalidConfig } from '../errors';

export const DEFAULT_MAX_THREADS = 200;
export const DEFAULT_BLOCKED_LOOP_MS = 100;
/** The runtime listens on IPv4 loopback only; "localhost" is accepted but dialled as 127.0.0.1 (it may resolve to ::1 first). */
const RUNTIME_HOST = '127.0.0.1';
const HOST_NAMES: readonly string[] = [RUNTIME_HOST, 'localhost'];

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
}

export interface AttachConfig extends SessionOptions {
  readonly host: string;
  readonly port: number;
  readonly secret: string | null;
  readonly secretFile: string | null;
}

/**
 * `raw` is whatever the client sent: nothing in it is trusted. Relative paths
 * are resolved as `cd CWD && PYTHON PROGRAM` would resolve them. Without
 * `cwd`, the program runs in its own folder (a module in `baseDir`); the
 * extension fills `cwd` with the workspace folder, VS Code's Python
 * debugger's default, so this default only matters to other DAP clients.
 */
export function validateLaunch(raw: LaunchArguments, baseDir: string = process.cwd()): LaunchConfig {
  const a = raw as unknown as Record<string, unknown>;
  const cwdAttr = optString(a, 'cwd');
  const givenCwd = cwdAttr === undefined ? null : existingDir(path.resolve(baseDir, cwdAttr));
  const program = optString(a, 'program');
  const module = optString(a, 'module');
  if ((program === undefined) === (module === undefined)) {
    throw new AdapterError(
      AdapterErrorId.NoTarget,
      program === undefined
        ? 'launch.json: give either "program" (a Python file) or "module" (a module to run like python -m).'
        : 'launch.json: give either "program" or "module", not both.',
    );
  }
  let target: LaunchConfig['target'];
  if (program !== undefined) {
    const file = path.resolve(givenCwd ?? baseDir, program);
    if (!fs.existsSync(file)) throw new AdapterError(AdapterErrorId.ProgramNotFound, `launch.json: "program" ${JSON.stringify(file)} does not exist.`);
    if (isDirectory(file)) throw new AdapterError(AdapterErrorId.ProgramNotFound, `launch.json: "program" ${JSON.stringify(file)} is a directory, not a Python file.`);
    target = { kind: 'program', path: file };
  } else {
    if (module === '' || /\s/.test(module!)) throw invalidConfig('module', 'a module name such as "package.app"', module);
    target = { kind: 'module', name: module! };
  }
  const cwd = givenCwd ?? (target.kind === 'program' ? path.dirname(target.path) : existingDir(baseDir));
  const python = optString(a, 'python') ?? 'python3';
  if (python === '') throw invalidConfig('python', 'the path or name of a Python interpreter', python);
  return {
    target,
    args: optStringArray(a, 'args'),
    cwd,
    env: optEnv(a),
    // A path such as ".venv/bin/python" is the cwd's; a bare name is looked up on PATH.
    python: python.includes('/') || python.includes(path.sep) ? path.resolve(cwd, python) : python,
    stopOnEntry: optBool(a, 'stopOnEntry', false),
    ...sessionOptions(a, cwd),
  };
}

export function validateAttach(raw: AttachArguments, baseDir: string = process.cwd()): AttachConfig {
  const a = raw as unknown as Record<string, unknown>;
  const port = a['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidConfig('port', 'the port number the program listens on (1-65535)', port);
  }
  const host = optString(a, 'host') ?? RUNTIME_HOST;
  if (!HOST_NAMES.includes(host)) {
    throw invalidConfig('host', '"127.0.0.1" or "localhost": the runtime listens on IPv4 loopback only, not on ::1 or another machine', host);
  }
  const secretFile = optString(a, 'secretFile');
  return {
    host: RUNTIME_HOST,
    port,
    secret: optString(a, 'secret') ?? null,
    secretFile: secretFile === undefined ? null : path.resolve(baseDir, secretFile),
    ...sessionOptions(a, baseDir),
  };
}

function sessionOptions(a: Record<string, unknown>, dir: string): SessionOptions {
  const blockedLoopMs = a['blockedLoopMs'] ?? DEFAULT_BLOCKED_LOOP_MS;
  if (typeof blockedLoopMs !== 'number' || !Number.isFinite(blockedLoopMs) || blockedLoopMs < 0) {
    throw invalidConfig('blockedLoopMs', 'a number of milliseconds (0 turns blocked-loop detection off)', blockedLoopMs);
  }
  const maxThreads = a['maxThreads'] ?? DEFAULT_MAX_THREADS;
  if (typeof maxThreads !== 'number' || !Number.isInteger(maxThreads) || maxThreads < 1) {
    throw invalidConfig('maxThreads', 'a whole number of at least 1', maxThreads);
  }
  const trace = optString(a, 'trace');
  return {
    justMyCode: optBool(a, 'justMyCode', true),
    blockedLoopMs,
    maxThreads,
    trace: trace === undefined || trace === '' ? null : path.resolve(dir, trace),
  };
}

function optString(a: Record<string, unknown>, key: string): string | undefined {
  const v = a[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidConfig(key, 'a string', v);
  return v;
}

function optBool(a: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = a[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw invalidConfig(key, 'true or false', v);
  return v;
}

function optStringArray(a: Record<string, unknown>, key: string): string[] {
  const v = a[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidConfig(key, 'an array of strings', v);
  return v.slice();
}

function optEnv(a: Record<string, unknown>): Record<string, string | null> {
  const v = a['env'];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidConfig('env', 'an object of variable names to strings (or null to remove one)', v);
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
    if (value !== null && typeof value !== 'string') throw invalidConfig(`env.${name}`, 'a string, or null to remove the variable', value);
    out[name] = value;
  }
  return out;
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
  const a = raw as unknown as Record<string, unknown>;
  const replay = optString(a, 'replay');
  if (replay === undefined || replay === '') throw invalidConfig('replay', 'the path of a trace file (.glt)', a['replay']);
  if (optString(a, 'program') !== undefined || optString(a, 'module') !== undefined) {
    throw new AdapterError(AdapterErrorId.NoTarget, 'launch.json: give either "replay" (a recorded trace) or "program"/"module", not both.');
  }
  const cwd = optString(a, 'cwd');
  const dir = cwd === undefined ? baseDir : path.resolve(baseDir, cwd);
  const maxThreads = a['maxThreads'] ?? DEFAULT_MAX_THREADS;
  if (typeof maxThreads !== 'number' || !Number.isInteger(maxThreads) || maxThreads < 1) {
    throw invalidConfig('maxThreads', 'a whole number of at least 1', maxThreads);
  }
  return { trace: path.resolve(dir, replay), maxThreads };
}
