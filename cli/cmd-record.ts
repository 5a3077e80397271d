/**
 * `greenlet-lens record`: runs the program under the Python runtime
 * (`PY -m greenlet_lens record --output FILE ...`) with the terminal passed
 * through, then reports what was recorded. The exit status is the program's,
 * so scripts can use greenlet-lens record as a drop-in wrapper.
 */

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TraceError } from '../shared/errors';
import { streamTraceFile } from '../shared/trace/read-file';
import { findPython, noPythonMessage } from './find-python';
import { printError, printNote } from './output';
import { findRuntimeDir } from '../shared/node/runtime-path';
import { describeRuntime } from '../shared/runtime-versions';
import { UsageError } from './usage';

export interface RecordArgs {
  python: string | undefined;
  output: string | undefined;
  /** Script path, or module name when `module` is true. */
  target: string;
  module: boolean;
  args: string[];
}

export function parseRecordArgs(argv: readonly string[]): RecordArgs {
  let python: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (name: string): string => {
      const eq = arg.indexOf('=');
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`record: ${name} needs a value`);
      return next;
    };
    if (arg === '--python' || arg.startsWith('--python=')) python = value('--python');
    else if (arg === '--output' || arg === '-o' || arg.startsWith('--output=')) output = value('--output');
    else if (arg === '-m') {
      const target = argv[i + 1];
      if (target === undefined) throw new UsageError('record: -m needs a module name');
      return { python, output, target, module: true, args: argv.slice(i + 2) };
    } else if (arg === '--') {
      const target = argv[i + 1];
      if (target === undefined) throw new UsageError('record: missing the script to run after --');
      return { python, output, target, module: false, args: argv.slice(i + 2) };
    } else if (arg.startsWith('-')) {
      throw new UsageError(`record: unknown option ${arg} (put the program after -- if it starts with -)`);
    } else {
      return { python, output, target: arg, module: false, args: argv.slice(i + 1) };
    }
  }
  throw new UsageError('record: missing the script (or -m module) to run');
}

export async function runRecord(argv: readonly string[]): Promise<number> {
  const opts = parseRecordArgs(argv);
  const runtimeDir = findRuntimeDir(__dirname);
  if (runtimeDir === null) {
    printError(`cannot find the runtime-instrumentation directory next to ${__dirname}; is greenlet-lens installed from its repository?`);
    return 1;
  }
  const choice = findPython(opts.python, process.env, runtimeDir);
  if (choice.python === null) {
    printError(noPythonMessage(choice.tried));
    return 2;
  }
  const output = opts.output ?? defaultOutputName();
  const target = opts.module ? ['-m', opts.target] : ['--', opts.target];
  const pyArgs = ['-m', 'greenlet_lens', 'record', '--output', path.resolve(output), ...target, ...opts.args];
  const oldPath = process.env['PYTHONPATH'];
  const env = { ...process.env, PYTHONPATH: oldPath ? `${runtimeDir}${path.delimiter}${oldPath}` : runtimeDir };

  const status = await runChild(choice.python, pyArgs, env);
  const written = await reportRecording(output, status, `${choice.python}: ${describeRuntime(choice.info!)}`);
  // A program that succeeded without leaving a trace is still a failed recording.
  return !written && status === 0 ? 1 : status;
}

/** Runs the program with inherited stdio; resolves to its exit status (128+n for signal n). */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    // Ctrl-C reaches the child through the terminal's process group; the
    // wrapper must outlive it to report, so it ignores SIGINT itself and
    // passes on the signals that are sent to it alone.
    const ignore = (): void => undefined;
    const forward = (signal: NodeJS.Signals) => (): void => void child.kill(signal);
    const onTerm = forward('SIGTERM');
    const onHup = forward('SIGHUP');
    process.on('SIGINT', ignore);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    const done = (status: number): void => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      resolve(status);
    };
    child.on('error', (err) => {
      printError(`cannot run ${command}: ${err.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => {
      if (code !== null) done(code);
      else done(128 + (signal !== null ? os.constants.signals[signal] ?? 0 : 0));
    });
  });
}

/** Says what was recorded, and with which Python; false when no trace file exists. */
async function reportRecording(output: string, status: number, python: string): Promise<boolean> {
  if (!fs.existsSync(output)) {
    printError(`no trace was written to ${output}${status !== 0 ? ` (the run exited with status ${status})` : ''}`);
    return false;
  }
  try {
    const summary = await streamTraceFile(output, () => undefined);
    const recorder = summary.header?.recorder ?? '';
    // Said only when the compiled core was not used, with why (the trace is the same either way).
    const PURE = 'pure-python: ';
    const pure = recorder.startsWith(PURE) ? ` with the pure-Python recorder (${recorder.slice(PURE.length)})` : '';
    process.stderr.write(`greenlet-lens: recorded ${summary.eventCount} events (${summary.fileSize} bytes) to ${output}${pure} (${python})\n`);
    if (summary.problem !== null) printNote(`${output}: ${summary.problem.message}`);
  } catch (err) {
    printError(err instanceof TraceError ? err.message : String(err));
  }
  return true;
}

/** greenlet-lens-YYYYMMDD-HHMMSS.glt, with -N added rather than overwrite an existing file. */
export function defaultOutputName(now: Date = new Date(), exists: (p: string) => boolean = fs.existsSync): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  let name = `greenlet-lens-${stamp}.glt`;
  for (let n = 1; exists(name); n++) name = `greenlet-lens-${stamp}-${n}.glt`;
  return name;
}
