/**
 * Entry point of the `greenlet-lens` command. Every failure ends as one
 * "greenlet-lens: error: ..." line and an exit status (2 usage, 1 bad
 * input); a stack trace is only ever shown for a defect in the tool itself.
 */

import { TraceError } from '../shared/errors';
import { runCat } from './cmd-cat';
import { runCheck } from './cmd-check';
import { runExport } from './cmd-export';
import { runRecord } from './cmd-record';
import { runState } from './cmd-state';
import { runStats } from './cmd-stats';
import { runView } from './cmd-view';
import { printError } from './output';
import { USAGE, UsageError } from './usage';

const COMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  record: runRecord,
  cat: runCat,
  state: runState,
  stats: runStats,
  view: runView,
  export: runExport,
  check: runCheck,
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write('greenlet-lens 0.1.0\n');
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    printError(`unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(", ")}; run "greenlet-lens --help" for usage)`);
    return 2;
  }
  if (wantsHelp(command, rest)) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      printError(`${err.message}\n(run "greenlet-lens --help" for usage)`);
      return 2;
    }
    if (err instanceof TraceError) {
      printError(err.message);
      return 1;
    }
    throw err;
  }
}

/**
 * `record` passes everything after the script to the program, so there only
 * a leading --help asks for ours.
 */
function wantsHelp(command: string, rest: readonly string[]): boolean {
  const isHelp = (a: string | undefined): boolean => a === '--help' || a === '-h';
  return command === 'record' ? isHelp(rest[0]) : rest.some(isHelp);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (err: unknown) => {
      printError(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      process.exitCode = 70;
    },
  );
}
