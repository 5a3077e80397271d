/**
 * The `greenlet` launch and attach configurations as plain data: which
 * attributes exist (typed against shared/protocol/custom-dap.ts so the
 * table cannot drift from LaunchArguments/AttachArguments), how they are
 * validated, and the configuration F5 uses on a Python file when there is
 * no launch.json. No `vscode` import, so all of it is unit-tested.
 */

import * as path from 'path';
import { DEBUG_TYPE, type AttachArguments, type LaunchArguments } from '../shared/protocol/custom-dap';
import { describeValue, ExtensionError, ExtensionErrorCode } from './errors';

/** A debug configuration as VS Code hands it over; assignable to vscode.DebugConfiguration. */
export interface PlainDebugConfiguration {
  type: string;
  name: string;
  request: string;
  [key: string]: unknown;
}

export type AttributeKind =
  | 'string'
  | 'boolean'
  | 'stringArray'
  | 'env'
  | 'nonNegativeNumber'
  | 'positiveInteger'
  | 'port';

/** Every launch attribute; `satisfies` makes a key missing from or extra to LaunchArguments a compile error. */
export const LAUNCH_ATTRIBUTES = {
  program: 'string',
  module: 'string',
  args: 'stringArray',
  cwd: 'string',
  env: 'env',
  python: 'string',
  stopOnEntry: 'boolean',
  replay: 'string',
  trace: 'string',
  justMyCode: 'boolean',
  blockedLoopMs: 'nonNegativeNumber',
  maxThreads: 'positiveInteger',
} as const satisfies Record<keyof LaunchArguments, AttributeKind>;

export const ATTACH_ATTRIBUTES = {
  host: 'string',
  port: 'port',
  secret: 'string',
  secretFile: 'string',
  trace: 'string',
  justMyCode: 'boolean',
  blockedLoopMs: 'nonNegativeNumber',
  maxThreads: 'positiveInteger',
} as const satisfies Record<keyof AttachArguments, AttributeKind>;

const EXPECTED: Record<AttributeKind, string> = {
  string: 'a string',
  boolean: 'true or false',
  stringArray: 'an array of strings',
  env: 'an object of strings (or null to unset a variable)',
  nonNegativeNumber: 'a number of 0 or more',
  positiveInteger: 'an integer of 1 or more',
  port: 'an integer from 1 to 65535',
};

export function valueFits(kind: AttributeKind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'stringArray':
      return Array.isArray(v) && v.every((item) => typeof item === 'string');
    case 'env':
      return (
        typeof v === 'object' && v !== null && !Array.isArray(v) &&
        Object.values(v).every((item) => typeof item === 'string' || item === null)
      );
    case 'nonNegativeNumber':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    case 'positiveInteger':
      return Number.isInteger(v) && (v as number) >= 1;
    case 'port':
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
  }
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/**
 * Problems with a launch or attach configuration, one sentence each; empty
 * when it is fine. Attributes VS Code adds itself (name, preLaunchTask,
 * __sessionId, …) are not ours to judge and are ignored; null means unset,
 * as the adapter reads it.
 */
export function configurationProblems(config: Readonly<Record<string, unknown>>): string[] {
  const request = config['request'];
  if (request !== 'launch' && request !== 'attach') {
    return [`"request" must be "launch" or "attach", not ${describeValue(request)}.`];
  }
  const table: Readonly<Record<string, AttributeKind>> = request === 'launch' ? LAUNCH_ATTRIBUTES : ATTACH_ATTRIBUTES;
  const problems: string[] = [];
  for (const [name, kind] of Object.entries(table)) {
    const v = config[name];
    if (v !== undefined && v !== null && !valueFits(kind, v)) problems.push(`"${name}" must be ${EXPECTED[kind]}, not ${describeValue(v)}.`);
  }
  if (request === 'launch' && nonEmptyString(config['replay'])) {
    // A replay steps through a recorded trace: there is no program to run.
    if (nonEmptyString(config['program']) || nonEmptyString(config['module'])) {
      problems.push('"replay" opens a recorded trace and runs no program: remove "program"/"module".');
    }
  } else if (request === 'launch') {
    const hasProgram = nonEmptyString(config['program']);
    const hasModule = nonEmptyString(config['module']);
    if (hasProgram === hasModule) {
      problems.push(
        hasProgram
          ? 'give either "program" or "module", not both.'
          : 'give "program" (a Python file) or "module" (run as python -m MODULE).',
      );
    }
  } else if (config['port'] === undefined || config['port'] === null) {
    problems.push('"port" is required: the port given to "python3 -m greenlet_lens listen --port N".');
  }
  return problems;
}

export function invalidConfigurationError(name: unknown, problems: readonly string[]): ExtensionError {
  const label = typeof name === 'string' && name !== '' ? `"${name}"` : 'the debug configuration';
  return new ExtensionError(
    ExtensionErrorCode.InvalidConfiguration,
    `Greenlet Lens cannot start ${label}: ${problems.join(' ')}`,
  );
}

/** True for the empty configuration VS Code passes when F5 is pressed without a launch.json. */
export function isEmptyConfiguration(config: Readonly<Record<string, unknown>>): boolean {
  return config['type'] === undefined && config['request'] === undefined && config['name'] === undefined;
}

/** What the glue knows about the active editor. */
export interface ActiveDocument {
  readonly languageId: string;
  /** False for untitled documents and non-file schemes: there is nothing on disk to run. */
  readonly isFile: boolean;
  readonly fsPath: string;
}

/**
 * The configuration F5 runs when there is no launch.json: the active Python
 * file, from the workspace folder (or the file's folder when none is open),
 * as `python FILE` would run it from a terminal there.
 */
export function currentFileConfiguration(
  active: ActiveDocument | undefined,
  folder: string | undefined,
): PlainDebugConfiguration {
  if (active === undefined || active.languageId !== 'python' || !active.isFile) {
    throw new ExtensionError(
      ExtensionErrorCode.NoPythonFile,
      active !== undefined && active.languageId === 'python'
        ? 'Greenlet Lens: save the Python file before debugging it.'
        : 'Greenlet Lens: open a Python file to debug, or add a "greenlet" configuration to launch.json.',
    );
  }
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Greenlet Lens: ${path.basename(active.fsPath)}`,
    program: active.fsPath,
    cwd: folder ?? path.dirname(active.fsPath),
  };
}

/**
 * Fills what F5 and a hand-written launch.json leave out, after variables
 * are substituted and the configuration is validated: a missing name, a cwd (the workspace folder, else the program's folder), and
 * absolute program/cwd paths, resolved as `cd CWD && python PROGRAM` would,
 * so the adapter never has to guess what a relative path was relative to.
 */
export function completeConfiguration(
  config: Readonly<Record<string, unknown>>,
  folder: string | undefined,
): PlainDebugConfiguration {
  const request = String(config['request']);
  const name = typeof config['name'] === 'string' ? config['name'] : `Greenlet Lens: ${request}`;
  const out: PlainDebugConfiguration = { ...config, type: DEBUG_TYPE, request, name };
  if (request !== 'launch') return out;
  const from = (base: string | undefined, p: string): string => (base === undefined ? p : path.resolve(base, p));
  let cwd = nonEmptyString(config['cwd']) ? from(folder, config['cwd']) : undefined;
  if (nonEmptyString(config['program'])) {
    const program = from(cwd ?? folder, config['program']);
    out['program'] = program;
    cwd ??= folder ?? (path.isAbsolute(program) ? path.dirname(program) : undefined);
  }
  cwd ??= folder;
  if (cwd !== undefined) out['cwd'] = cwd;
  return out;
}
