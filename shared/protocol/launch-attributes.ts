/**
 * Every launch and attach attribute of the `greenlet` debug type, once: its
 * kind, what a value must be (in the words every error uses), its default
 * and its description. Both validators check configurations with
 * configurationProblems (the extension before a session starts, the adapter
 * for any DAP client, which then adds only file-system checks), and
 * package.json's configurationAttributes must equal configurationSchema()
 * (test/unit/extension-package.test.ts). Typed against LaunchArguments and
 * AttachArguments, so an attribute missing here is a compile error.
 */
import { describeValue } from '../errors';
import type { AttachArguments, LaunchArguments } from './custom-dap';

export const DEFAULT_BLOCKED_LOOP_MS = 100;
export const DEFAULT_MAX_THREADS = 200;
/** The runtime listens on IPv4 loopback only; "localhost" is accepted but dialled as 127.0.0.1 (it may resolve to ::1 first). */
export const RUNTIME_HOST = '127.0.0.1';
const HOST_NAMES: readonly string[] = [RUNTIME_HOST, 'localhost'];

export type AttributeKind =
  | 'string' | 'moduleName' | 'loopbackHost'
  | 'boolean' | 'stringArray' | 'env' | 'nonNegativeNumber' | 'positiveInteger' | 'port';

export interface AttributeSpec {
  readonly kind: AttributeKind;
  readonly description: string;
  readonly default?: unknown;
  /** What a value must be, when the kind's words say too little. */
  readonly expected?: string;
}

const EXPECTED: Readonly<Record<AttributeKind, string>> = {
  string: 'a string',
  moduleName: 'a module name such as "package.app"',
  loopbackHost: '"127.0.0.1" or "localhost": the runtime listens on IPv4 loopback only, not on ::1 or another machine',
  boolean: 'true or false',
  stringArray: 'an array of strings',
  env: 'an object of strings (or null to unset a variable)',
  nonNegativeNumber: 'a number of 0 or more',
  positiveInteger: 'an integer of 1 or more',
  port: 'an integer from 1 to 65535',
};

const TRACE: AttributeSpec = {
  kind: 'string',
  description: 'Also record the session to this trace file (.glt), readable later with `greenlet-lens cat/state/stats`.',
};
const JUST_MY_CODE: AttributeSpec = {
  kind: 'boolean', default: true,
  description: 'Step and stop only in your code, not in the standard library, gevent or other installed packages.',
};
const BLOCKED_LOOP_MS: AttributeSpec = {
  kind: 'nonNegativeNumber', default: DEFAULT_BLOCKED_LOOP_MS, expected: 'a number of milliseconds, 0 or more (0 turns blocked-loop detection off)',
  description: 'Stop when one greenlet runs this many milliseconds without yielding to the gevent loop (a blocked loop); 0 turns it off.',
};
const MAX_THREADS: AttributeSpec = {
  kind: 'positiveInteger', default: DEFAULT_MAX_THREADS,
  description: 'Most greenlets listed as threads in the Call Stack view; the rest are still shown on the board.',
};

export const LAUNCH_ATTRIBUTES = {
  program: {
    kind: 'string', default: '${file}',
    description: 'The Python file to debug (give this or `module`). A relative path is taken from `cwd`.',
  },
  module: { kind: 'moduleName', description: 'A module to run as `python -m MODULE` (instead of `program`).' },
  args: { kind: 'stringArray', default: [], description: 'Command line arguments passed to the program (its `sys.argv[1:]`).' },
  cwd: {
    kind: 'string', default: '${workspaceFolder}',
    description: 'Working directory of the program. Defaults to the workspace folder, else the program\'s folder.',
  },
  env: { kind: 'env', default: {}, description: 'Environment variables added to the program\'s environment; null removes one.' },
  python: {
    // Empty is unset, as in the greenletLens.python setting: the default interpreter.
    kind: 'string',
    description: 'The Python interpreter to run the program with; it must have gevent (or greenlet, for plain greenlet programs). Defaults to the `greenletLens.python` setting, ' +
      'then the Python extension\'s selected interpreter, then `python3`.',
  },
  stopOnEntry: { kind: 'boolean', default: false, description: 'Stop before the program\'s first line.' },
  trace: TRACE,
  justMyCode: JUST_MY_CODE,
  blockedLoopMs: BLOCKED_LOOP_MS,
  maxThreads: MAX_THREADS,
  subProcess: {
    kind: 'boolean', default: true,
    description: 'Debug the processes the program forks (gunicorn workers, multiprocessing fork pools), each as a session of its own under this one; ' +
      'false runs them undebugged and unrecorded.',
  },
  followChildren: {
    kind: 'boolean', default: false,
    description: 'As `greenlet-lens record --follow-children`: also debug the new Pythons the program starts ' +
      '(`subprocess` of a Python with gevent, multiprocessing\'s `spawn`), each as a session of its own under this one; ' +
      'they learn of the session through their environment (PYTHONPATH and GREENLET_LENS_* variables). False: forked children only.',
  },
  replay: {
    kind: 'string',
    description: 'Replay a recorded trace (.glt) instead of running a program: step forward and back through its context switches; ' +
      'breakpoints stop where a recorded greenlet resumes at that line.',
  },
} as const satisfies Record<keyof LaunchArguments, AttributeSpec>;

export const ATTACH_ATTRIBUTES = {
  host: {
    kind: 'loopbackHost', default: RUNTIME_HOST,
    description: 'Host the program listens on (`python3 -m greenlet_lens listen` listens on the loopback interface only).',
  },
  port: { kind: 'port', default: 5679, description: 'Port given to `python3 -m greenlet_lens listen --port N`.' },
  secret: { kind: 'string', description: 'The connection secret (hex). Defaults to the one in `secretFile`.' },
  secretFile: {
    kind: 'string',
    description: 'File holding the connection secret, as printed by `greenlet_lens listen`. Defaults to $TMPDIR/greenlet-lens-UID/port-PORT.secret. It must be yours, mode 0600, and hold only the secret; the secret itself is never sent.',
  },
  trace: TRACE,
  justMyCode: JUST_MY_CODE,
  blockedLoopMs: BLOCKED_LOOP_MS,
  maxThreads: MAX_THREADS,
  subProcessToken: {
    kind: 'string',
    description: 'Set by Greenlet Lens in the sessions it starts for forked children; not for launch.json.',
  },
} as const satisfies Record<keyof AttachArguments, AttributeSpec>;

export function valueFits(kind: AttributeKind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'moduleName':
      return typeof v === 'string' && v !== '' && !/\s/.test(v);
    case 'loopbackHost':
      return typeof v === 'string' && HOST_NAMES.includes(v);
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

/**
 * One thing wrong with a configuration. `target`: what to run is missing or
 * given twice (program, module, replay); `missing`: a required attribute;
 * `value`: an attribute of the wrong type or an impossible value.
 */
export interface ConfigurationProblem {
  readonly kind: 'target' | 'missing' | 'value';
  readonly attribute: string;
  readonly text: string;
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/**
 * Problems with a launch or attach configuration, one sentence each; empty
 * when it is fine. Attributes VS Code adds itself (name, preLaunchTask,
 * __sessionId, …) are not ours to judge and are ignored; null means unset.
 */
export function configurationProblems(config: Readonly<Record<string, unknown>>): ConfigurationProblem[] {
  const request = config['request'];
  if (request !== 'launch' && request !== 'attach') {
    return [{ kind: 'value', attribute: 'request', text: `"request" must be "launch" or "attach", not ${describeValue(request)}.` }];
  }
  const table: Readonly<Record<string, AttributeSpec>> = request === 'launch' ? LAUNCH_ATTRIBUTES : ATTACH_ATTRIBUTES;
  const problems: ConfigurationProblem[] = [];
  for (const [name, spec] of Object.entries(table)) {
    const v = config[name];
    if (v !== undefined && v !== null && !valueFits(spec.kind, v)) {
      problems.push({ kind: 'value', attribute: name, text: `"${name}" must be ${spec.expected ?? EXPECTED[spec.kind]}, not ${describeValue(v)}.` });
    }
  }
  const target = (text: string, attribute: string): void => void problems.push({ kind: 'target', attribute, text });
  if (request === 'launch' && nonEmptyString(config['replay'])) {
    // A replay steps through a recorded trace: there is no program to run.
    if (nonEmptyString(config['program']) || nonEmptyString(config['module'])) {
      target('"replay" opens a recorded trace and runs no program: remove "program"/"module".', 'replay');
    }
  } else if (request === 'launch') {
    const hasProgram = nonEmptyString(config['program']);
    const hasModule = nonEmptyString(config['module']);
    if (hasProgram === hasModule) {
      target(hasProgram ? 'give either "program" or "module", not both.' : 'give "program" (a Python file) or "module" (run as python -m MODULE).', 'program');
    }
    const follow = config['followChildren'];
    const sub = config['subProcess'];
    if (follow === true && sub === false) {
      problems.push({
        kind: 'value', attribute: 'followChildren',
        text: '"followChildren": true debugs the new Pythons the program starts besides its forked children, but "subProcess": false debugs no child: remove one of them.',
      });
    }
  } else if (config['port'] === undefined || config['port'] === null) {
    problems.push({ kind: 'missing', attribute: 'port', text: '"port" is required: the port given to "python3 -m greenlet_lens listen --port N".' });
  }
  return problems;
}

type JsonSchema = Record<string, unknown>;

const SCHEMA: Readonly<Record<AttributeKind, JsonSchema>> = {
  string: { type: 'string' },
  moduleName: { type: 'string' },
  loopbackHost: { type: 'string' },
  boolean: { type: 'boolean' },
  stringArray: { type: 'array', items: { type: 'string' } },
  env: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
  nonNegativeNumber: { type: 'number', minimum: 0 },
  positiveInteger: { type: 'integer', minimum: 1 },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
};

function properties(table: Readonly<Record<string, AttributeSpec>>): JsonSchema {
  return Object.fromEntries(Object.entries(table).map(([name, spec]) => {
    const schema: JsonSchema = { ...SCHEMA[spec.kind] };
    if (spec.default !== undefined) schema['default'] = spec.default;
    schema['description'] = spec.description;
    return [name, schema];
  }));
}

/** package.json's `contributes.debuggers[0].configurationAttributes`, as the table says it must be. */
export function configurationSchema(): JsonSchema {
  return {
    launch: { properties: properties(LAUNCH_ATTRIBUTES) },
    attach: { required: ['port'], properties: properties(ATTACH_ATTRIBUTES) },
  };
}
