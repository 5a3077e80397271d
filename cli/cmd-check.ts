/**
 * `greenlet-lens check FILE [--fail-on warning|error] [--format text|json|sarif]`:
 * what is wrong in a recorded run (shared/analysis), for people and for CI.
 * Exit status 3 when a finding is at least as bad as --fail-on.
 */

import * as path from 'path';
import { atLeast, FINDING_KINDS, SEVERITIES, type Finding, type FindingKind, type FindingsConfig } from '../shared/analysis/finding';
import { checkTraceFile } from '../shared/node/check-trace';
import { parseArgs, singleFile, type ParsedArgs } from './args';
import { toSarif } from './check-sarif';
import { reportOutcome, unreadable } from './outcome';
import { Output } from './output';
import { UsageError } from './usage';

export const FINDINGS_EXIT = 3;
const VERSION = '0.1.0';
const FORMATS = ['text', 'json', 'sarif'] as const;

const OPTIONS = {
  'fail-on': 'string', format: 'string', disable: 'string',
  'blocked-loop-ms': 'string', 'slow-wakeup-ms': 'string', 'growth-min-items': 'string',
  'timeout-min-fires': 'string', 'timeout-min-share': 'string',
} as const;

export async function runCheck(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const file = singleFile(args, 'check');
  const format = oneOf(args, 'format', FORMATS, 'text');
  const failOnText = args.values.get('fail-on');
  const failOn = failOnText === undefined ? null : oneOf(args, 'fail-on', SEVERITIES, 'error');
  const config = configOf(args);

  const { summary, findings } = await checkTraceFile(file, config);
  if (unreadable(summary)) return reportOutcome(file, summary);
  const out = new Output();
  if (format === 'sarif') {
    await out.line(JSON.stringify(toSarif(findings, file, process.cwd(), VERSION), null, 2));
  } else if (format === 'json') {
    await out.line(JSON.stringify({ trace: file, events: summary.eventCount, status: summary.status, findings }, null, 2));
  } else {
    for (const f of findings) await out.line(textLine(f));
    await out.line(countLine(findings));
  }
  await out.flush();
  const read = reportOutcome(file, summary);
  if (read !== 0) return read;
  return failOn !== null && findings.some((f) => atLeast(f.severity, failOn)) ? FINDINGS_EXIT : 0;
}

/** `file:line: severity: summary: message [kind, event N]`, as compilers print, so editors can jump there. */
function textLine(f: Finding): string {
  const site = f.sites[0];
  const where = site === undefined ? '' : `${relative(site.file)}:${site.line}: `;
  return `${where}${f.severity}: ${f.summary}: ${f.message} [${f.kind}, event ${f.seq}]`;
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function countLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`).join(', ')}`;
}

function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], dflt: T): T {
  const v = args.values.get(name);
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} expects ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function configOf(args: ParsedArgs): Partial<FindingsConfig> {
  const num = (name: string, integer: boolean, max = Infinity): number | undefined => {
    const v = args.values.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > max || (integer && !Number.isInteger(n))) {
      throw new UsageError(`--${name} expects ${integer ? 'a whole number' : 'a number'} of 0 or more${max < Infinity ? ` up to ${max}` : ''}, got ${JSON.stringify(v)}`);
    }
    return n;
  };
  const config: { -readonly [K in keyof FindingsConfig]?: FindingsConfig[K] } = {};
  const set = <K extends keyof FindingsConfig>(key: K, value: FindingsConfig[K] | undefined): void => {
    if (value !== undefined) config[key] = value;
  };
  set('blockedLoopMs', num('blocked-loop-ms', false));
  set('slowWakeupMs', num('slow-wakeup-ms', false));
  set('growthMinItems', num('growth-min-items', true));
  set('timeoutMinFires', num('timeout-min-fires', true));
  set('timeoutMinShare', num('timeout-min-share', false, 1));
  const disable = args.values.get('disable');
  if (disable !== undefined) {
    const kinds = disable.split(',').map((k) => k.trim()).filter((k) => k !== '');
    const bad = kinds.filter((k) => !(FINDING_KINDS as readonly string[]).includes(k));
    if (bad.length > 0) throw new UsageError(`--disable: unknown finding kind ${bad.map((k) => JSON.stringify(k)).join(', ')} (kinds: ${FINDING_KINDS.join(', ')})`);
    config.disabled = kinds as FindingKind[];
  }
  return config;
}

