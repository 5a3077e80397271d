/**
 * The extension's gevent check: the shared probe (shared/node/gevent-probe.ts)
 * run with the launch's cwd and `env` over the extension host's environment,
 * its answer in the terms interpreter choice uses. No `vscode` import.
 */
import { mergeEnv, probeGevent as probe } from '../shared/node/gevent-probe';
import type { ProbeResult } from './python-choice';

export { mergeEnv } from '../shared/node/gevent-probe';

export interface ProbeOptions {
  readonly cwd?: string | undefined;
  /** The launch configuration's `env`: null removes a variable, as in launch.json. */
  readonly env?: Readonly<Record<string, string | null>> | undefined;
  readonly timeoutMs?: number;
}

export async function probeGevent(python: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const result = await probe(python, { cwd: options.cwd, env: mergeEnv(process.env, options.env), timeoutMs: options.timeoutMs });
  if (result.ok) return result;
  if (result.reason === 'timeout') return { ok: false, reason: 'noGevent', detail: 'importing gevent timed out' };
  return { ok: false, reason: result.reason, detail: result.detail };
}
