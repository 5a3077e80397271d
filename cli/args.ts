/**
 * A minimal option parser for the read-only subcommands: declared flags
 * only, `--name value` or `--name=value`, anything undeclared is a usage
 * error (a typo should not silently change what is printed).
 */

import { UsageError } from './usage';

export type OptionSpec = Readonly<Record<string, 'boolean' | 'string'>>;

export interface ParsedArgs {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      out.flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    out.values.set(name, value);
  }
  return out;
}

/** The single FILE argument of cat/state/stats. */
export function singleFile(args: ParsedArgs, command: string): string {
  if (args.positional.length === 0) throw new UsageError(`${command}: missing trace FILE`);
  if (args.positional.length > 1) throw new UsageError(`${command}: expected one FILE, got ${args.positional.length} arguments`);
  return args.positional[0]!;
}
