/**
 * Which Python interpreter a launch uses, decided without `vscode` so the
 * order is unit-tested: the configuration's `python`, else the
 * greenletLens.python setting, else the Python extension's selected
 * interpreter, else the usual system ones. A named interpreter (the first
 * three) is used or refused, never silently replaced: debugging under a
 * different Python than the one the user picked would be a confusing
 * surprise. Only the unnamed default tries more than one command, like the
 * CLI does (python3 on PATH may be a pyenv/venv without gevent while
 * Debian's python3-gevent serves /usr/bin/python3); among those, one with
 * gevent wins over one with greenlet only, which debugs plain greenlet
 * programs.
 */

import * as path from 'path';
import { installAdvice, installCommands, type ProbeResult } from '../shared/node/python-probe';
import type { RuntimeMode } from '../shared/runtime-versions';
import { ExtensionError, ExtensionErrorCode } from './errors';
import { SETTINGS, SETTINGS_SECTION } from './contributions';

export type InterpreterSource = 'configuration' | 'setting' | 'pythonExtension' | 'default';

export interface InterpreterCandidate {
  readonly command: string;
  readonly source: InterpreterSource;
}

export interface InterpreterInputs {
  /** The configuration's `python`, variables already substituted. */
  readonly fromConfiguration: unknown;
  /** The greenletLens.python setting. */
  readonly fromSetting: unknown;
  /**
   * The Python extension's selected interpreter, asked only when neither of
   * the above names one (activating that extension can take seconds).
   */
  readonly fromPythonExtension: () => Promise<string | undefined>;
  readonly platform: NodeJS.Platform;
  /** Relative interpreter paths (".venv/bin/python") are taken from here: the workspace folder. */
  readonly baseDir: string | undefined;
}

/** The interpreters to try, in order; the first with gevent wins, else the first with greenlet. */
export async function interpreterCandidates(inputs: InterpreterInputs): Promise<InterpreterCandidate[]> {
  const named = (value: unknown, source: InterpreterSource): InterpreterCandidate[] | undefined =>
    typeof value === 'string' && value.trim() !== ''
      ? [{ command: absoluteIfRelativePath(value.trim(), inputs.baseDir), source }]
      : undefined;
  const chosen = named(inputs.fromConfiguration, 'configuration') ?? named(inputs.fromSetting, 'setting');
  if (chosen !== undefined) return chosen;
  const fromExtension = named(await inputs.fromPythonExtension(), 'pythonExtension');
  if (fromExtension !== undefined) return fromExtension;
  return inputs.platform === 'win32'
    ? [{ command: 'python', source: 'default' }]
    : [
        { command: 'python3', source: 'default' },
        { command: '/usr/bin/python3', source: 'default' },
      ];
}

/**
 * "./.venv/bin/python" and ".venv/bin/python" are resolved against the
 * workspace folder (as the Python extension does for its interpreter
 * setting); a bare command ("python3") is left for PATH to resolve.
 */
export function absoluteIfRelativePath(command: string, baseDir: string | undefined): string {
  const hasSeparator = command.includes('/') || command.includes(path.sep);
  if (!hasSeparator || path.isAbsolute(command) || baseDir === undefined) return command;
  return path.resolve(baseDir, command);
}

export function describeSource(source: InterpreterSource): string {
  switch (source) {
    case 'configuration':
      return 'the launch configuration\'s "python"';
    case 'setting':
      return `the ${SETTINGS_SECTION}.${SETTINGS.python} setting`;
    case 'pythonExtension':
      return "the Python extension's selected interpreter";
    case 'default':
      return 'the default';
  }
}

export interface ChosenInterpreter extends InterpreterCandidate {
  readonly mode: RuntimeMode;
}

type Failure = Extract<ProbeResult, { ok: false }>;

/**
 * Tries the candidates in order with `probe` and returns the first that has
 * gevent, else the first that has greenlet, or the error to show: a named
 * interpreter's own problem, or, for the defaults, every command tried.
 */
export async function selectInterpreter(
  candidates: readonly InterpreterCandidate[],
  probe: (command: string) => Promise<ProbeResult>,
): Promise<ChosenInterpreter> {
  const failures: [InterpreterCandidate, Failure][] = [];
  let greenletOnly: ChosenInterpreter | null = null;
  for (const candidate of candidates) {
    const result = await probe(candidate.command);
    if (result.ok && result.mode === 'gevent') return { ...candidate, mode: 'gevent' };
    if (result.ok) greenletOnly ??= { ...candidate, mode: 'greenlet' };
    else failures.push([candidate, result]);
  }
  if (greenletOnly !== null) return greenletOnly;
  if (failures.length === 0) throw new ExtensionError(ExtensionErrorCode.Internal, 'no Python interpreter to try');
  // Name the interpreter the user is most likely to fix: the first one tried.
  const [first, firstResult] = failures[0]!;
  const tried =
    failures.length > 1 ? ` (tried ${failures.map(([c, r]) => `${c.command}: ${r.detail}`).join('; ')})` : '';
  const allNotFound = failures.every(([, r]) => r.reason === 'notFound');
  if (allNotFound) throw pythonNotFoundError(first, firstResult.detail, tried);
  // Prefer a candidate that runs but lacks greenlet: installing gevent for it is the fix.
  const [runs, runsResult] = failures.find(([, r]) => r.reason !== 'notFound') ?? failures[0]!;
  throw geventMissingError(runs, runsResult.detail, tried);
}

const CHOOSE_ANOTHER =
  `or choose another interpreter with "python" in launch.json or the ${SETTINGS_SECTION}.${SETTINGS.python} setting.`;

export function geventMissingError(candidate: InterpreterCandidate, detail: string, tried = ''): ExtensionError {
  const { pip } = installCommands(candidate.command);
  const why = detail !== '' ? ` (${detail})` : '';
  return new ExtensionError(
    ExtensionErrorCode.GeventMissing,
    `Greenlet Lens needs gevent (or, for plain greenlet programs, greenlet), but the Python from ${describeSource(candidate.source)}, ` +
      `${candidate.command}, cannot import either${why}${tried}. ` +
      `${installAdvice(candidate.command)}, ${CHOOSE_ANOTHER}`,
    [
      { kind: 'copy', label: 'Copy pip Command', text: pip },
      { kind: 'openSettings', label: 'Open Settings', query: `${SETTINGS_SECTION}.${SETTINGS.python}` },
    ],
  );
}

export function pythonNotFoundError(candidate: InterpreterCandidate, detail: string, tried = ''): ExtensionError {
  const why = detail !== '' ? ` (${detail})` : '';
  return new ExtensionError(
    ExtensionErrorCode.PythonNotFound,
    `Greenlet Lens cannot run the Python from ${describeSource(candidate.source)}, ${candidate.command}${why}${tried}. ` +
      `${installAdvice('python3')}, ${CHOOSE_ANOTHER}`,
    [{ kind: 'openSettings', label: 'Open Settings', query: `${SETTINGS_SECTION}.${SETTINGS.python}` }],
  );
}
