/**
 * The `greenlet` launch and attach configurations as plain data: how they
 * are checked (the one attribute table of shared/protocol/launch-attributes.ts,
 * which the adapter checks with too), and the configuration F5 uses on a
 * Python file when there is no launch.json. No `vscode` import, so all of it
 * is unit-tested.
 */

import * as path from 'path';
import { DEBUG_TYPE } from '../shared/protocol/custom-dap';
import { configurationProblems as problemsOf } from '../shared/protocol/launch-attributes';
import { ExtensionError, ExtensionErrorCode } from './errors';

/** A debug configuration as VS Code hands it over; assignable to vscode.DebugConfiguration. */
export interface PlainDebugConfiguration {
  type: string;
  name: string;
  request: string;
  [key: string]: unknown;
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** Problems with a launch or attach configuration, one sentence each; empty when it is fine. */
export function configurationProblems(config: Readonly<Record<string, unknown>>): string[] {
  return problemsOf(config).map((p) => p.text);
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
