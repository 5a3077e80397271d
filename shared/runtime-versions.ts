/**
 * What a recording ran on, in one wording for every place that shows it
 * (`greenlet-lens stats` and `record`, the debug console, the board): the
 * Python, gevent and greenlet versions a trace header and the interpreter
 * probe carry, and the mode they make, gevent or plain greenlets only.
 */

export interface RuntimeVersions {
  readonly python: string;
  readonly implementation?: string;
  /** null (or '' in an old header) when greenlet is missing. */
  readonly greenlet: string | null;
  readonly gevent: string | null;
  /** gevent's compiled (Cython) build, or its pure-Python one; null without gevent. */
  readonly compiled: boolean | null;
}

/** gevent: queues, events, locks and the hub; greenlet: plain greenlets only. */
export type RuntimeMode = 'gevent' | 'greenlet';

export function runtimeMode(v: RuntimeVersions): RuntimeMode {
  return v.gevent !== null && v.gevent !== '' ? 'gevent' : 'greenlet';
}

/** "Python 3.12.1 · gevent 26.5.0 · greenlet 3.5.3", "… · gevent 22.10.2 (pure Python) · …", or "… · greenlet 3.5.3 · no gevent (plain greenlets only)". */
export function describeRuntime(v: RuntimeVersions): string {
  const impl = v.implementation === 'pypy' ? 'PyPy' : 'Python';
  const parts = [`${impl} ${v.python !== '' ? v.python : '?'}`];
  if (runtimeMode(v) === 'gevent') parts.push(`gevent ${v.gevent}${v.compiled === false ? ' (pure Python)' : ''}`);
  parts.push(`greenlet ${v.greenlet !== null && v.greenlet !== '' ? v.greenlet : '?'}`);
  if (runtimeMode(v) === 'greenlet') parts.push('no gevent (plain greenlets only)');
  return parts.join(' · ');
}
