/**
 * Renders everything generated from shared/trace/schema.ts: the Python
 * runtime's constants, a C header for a compiled recorder, the TypeScript
 * event decoder and the tables of docs/trace-format.md; and package.json's
 * configurationAttributes from shared/protocol/launch-attributes.ts. Pure
 * functions: scripts/gen-schema.mjs writes their output, and
 * test/unit/schema.test.ts (extension-package.test.ts for package.json)
 * fails when a committed file differs from it.
 */
import {
  BLOCK_REASON_MEMBERS, CHUNK_MARKER, DEFINITION_RECORDS, EVENT_RECORDS, EXIT_FLAG_MEMBERS, FIRST_EXTENSION_TAG, FORMAT_MAJOR,
  FORMAT_MINOR, GKINDS, HEADER_FORMAT_NAME, MAGIC, OBSERVE_HOW_MEMBERS, OKINDS, type EnumMember, type EventRecordSpec, type FieldSpec, type WireType,
} from '../../shared/trace/schema';
import { configurationSchema } from '../../shared/protocol/launch-attributes';

export const GENERATOR = 'scripts/gen-schema.mjs';
const SOURCE = 'shared/trace/schema.ts';

/** Every generated file, by its path from the repository root. */
export const GENERATED_FILES = {
  python: 'runtime-instrumentation/greenlet_lens/_schema.py',
  cHeader: 'runtime-instrumentation/greenlet_lens/_schema.h',
  decoder: 'shared/trace/decode-events.generated.ts',
} as const;

/** package.json, whose debugger's configurationAttributes are shared/protocol/launch-attributes.ts's. */
export const PACKAGE_JSON = 'package.json';

/** package.json with its configurationAttributes written from the attribute table (the file is plain 2-space JSON). */
export function withConfigurationAttributes(text: string): string {
  const pkg = JSON.parse(text) as { contributes: { debuggers: { configurationAttributes: unknown }[] } };
  pkg.contributes.debuggers[0]!.configurationAttributes = configurationSchema();
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The document whose tables are generated, between DOC_BEGIN and DOC_END. */
export const TRACE_FORMAT_DOC = 'docs/trace-format.md';
export const DOC_BEGIN = `<!-- generated from ${SOURCE} by ${GENERATOR}: edit the schema, not this table -->`;
export const DOC_END = '<!-- end of generated tables -->';

interface EnumTable {
  readonly title: string;
  readonly field: string;
  readonly members: readonly EnumMember[];
  /** Python name of the value → JSON name lookup, if the runtime needs one. */
  readonly pyNames?: { readonly name: string; readonly form: 'tuple' | 'dict' };
}

const ENUMS: readonly EnumTable[] = [
  { title: 'Greenlet kinds', field: 'spawn.gkind', members: GKINDS },
  { title: 'Block reasons', field: 'block.reason', members: BLOCK_REASON_MEMBERS, pyNames: { name: 'REASON_NAMES', form: 'tuple' } },
  { title: 'Object kinds', field: 'object.okind', members: OKINDS, pyNames: { name: 'OKIND_NAMES', form: 'dict' } },
  { title: 'Exit flags (bits)', field: 'exit.flags', members: EXIT_FLAG_MEMBERS },
  { title: 'Observation kinds', field: 'observed.how', members: OBSERVE_HOW_MEMBERS },
];

const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

// -- Python -------------------------------------------------------------------

const PY_ESCAPES: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

function pyByte(b: number): string {
  return PY_ESCAPES[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`);
}

export function renderPython(): string {
  const out: string[] = [
    '"""Constants of the trace format (docs/trace-format.md).',
    '',
    `Generated from ${SOURCE} by ${GENERATOR}: do not edit; change the schema`,
    'and run the generator (test/unit/schema.test.ts fails while this file is stale).',
    '"""',
    '',
    `MAGIC = b"${MAGIC.map(pyByte).join('')}"`,
    `VERSION = (${FORMAT_MAJOR}, ${FORMAT_MINOR})`,
    `FORMAT_NAME = "${HEADER_FORMAT_NAME}"`,
    `CHUNK_MARKER = ${hex(CHUNK_MARKER)}`,
    `FIRST_EXTENSION_TAG = ${hex(FIRST_EXTENSION_TAG)}`,
    '',
    '# Record tags',
  ];
  for (const r of [...DEFINITION_RECORDS, ...EVENT_RECORDS]) out.push(`${r.constant} = ${hex(r.tag)}`);
  for (const e of ENUMS) {
    out.push('', `# ${e.title} (${e.field})`);
    for (const m of e.members) out.push(`${m.constant} = ${m.value}`);
    if (e.pyNames?.form === 'tuple') {
      out.push(`${e.pyNames.name} = (${e.members.map((m) => `"${m.name}"`).join(', ')})`);
    } else if (e.pyNames?.form === 'dict') {
      out.push(`${e.pyNames.name} = {`);
      for (const m of e.members) out.push(`    ${m.constant}: "${m.name}",`);
      out.push('}');
    }
  }
  out.push('', '# Fields of each event record after its tag and dt, in wire order: (JSON name, encoding)', 'FIELDS = {');
  for (const r of EVENT_RECORDS) {
    out.push(`    ${r.constant}: (${r.fields.map(([name, wire]) => `("${name}", "${wire}")`).join(', ')}${r.fields.length === 1 ? ',' : ''}),`);
  }
  out.push('}', '');
  return out.join('\n');
}

// -- C ------------------------------------------------------------------------

export function renderCHeader(): string {
  const out: string[] = [
    '/*',
    ' * Constants of the trace format (docs/trace-format.md), for a compiled recorder.',
    ` * Generated from ${SOURCE} by ${GENERATOR}: do not edit.`,
    ' */',
    '#ifndef GREENLET_LENS_SCHEMA_H',
    '#define GREENLET_LENS_SCHEMA_H',
    '',
    `#define GLT_MAGIC "${MAGIC.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`,
    `#define GLT_MAGIC_SIZE ${MAGIC.length}`,
    `#define GLT_VERSION_MAJOR ${FORMAT_MAJOR}`,
    `#define GLT_VERSION_MINOR ${FORMAT_MINOR}`,
    `#define GLT_FORMAT_NAME "${HEADER_FORMAT_NAME}"`,
    `#define GLT_CHUNK_MARKER ${hex(CHUNK_MARKER)}`,
    `#define GLT_FIRST_EXTENSION_TAG ${hex(FIRST_EXTENSION_TAG)}`,
    '',
    '/* Record tags. An event record is: tag, dt (u), then its fields in this order;',
    '   an extension record (tag >= GLT_FIRST_EXTENSION_TAG): tag, length (u), then its fields. */',
    'enum glt_tag {',
  ];
  for (const r of DEFINITION_RECORDS) out.push(`    GLT_${r.constant} = ${hex(r.tag)}, /* ${r.name}: ${r.body.replace(/`/g, '')} */`);
  for (const r of EVENT_RECORDS) {
    out.push(`    GLT_${r.constant} = ${hex(r.tag)}, /* ${r.kind}: ${r.fields.map(([name, wire]) => `${name} ${wire}`).join(', ')} */`);
  }
  out.push('};');
  for (const e of ENUMS) {
    const tag = e.field.split('.')[1]!;
    out.push('', `/* ${e.title} (${e.field}) */`, `enum glt_${tag} {`);
    for (const m of e.members) out.push(`    GLT_${m.constant} = ${m.value}, /* ${m.name} */`);
    out.push('};');
  }
  out.push('', '#endif /* GREENLET_LENS_SCHEMA_H */', '');
  return out.join('\n');
}

// -- TypeScript decoder -------------------------------------------------------

/** What each encoding is read with: `r` is the ByteReader, `x` the decoder's reference tables. */
const READ: Readonly<Record<WireType, string>> = {
  u: 'r.u()', g: 'r.u()', o: 'r.u()', i: 'r.i()', s: 'x.s(r)', f: 'x.f(r)', k: 'x.k(r)', strs: 'x.strs(r)',
  gkind: 'x.gkind(r)', reason: 'x.reason(r)', okind: 'x.okind(r)', how: 'x.how(r)', flags: 'x.flags(r)', timeout: 'x.timeout(r)', capacity: 'x.capacity(r)',
};

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'default', 'delete', 'do', 'else', 'export', 'extends',
  'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'return', 'super', 'switch', 'this', 'throw', 'try', 'typeof',
  'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'enum', 'await', 'seq', 't', 'kind', 'r', 'x', 'tag']);

/**
 * One case per tag building the event as an object literal: every event of
 * a kind gets one hidden class in V8, which a loop assigning fields by name
 * would not (that made decoding and the model twice as slow).
 */
export function renderDecoder(): string {
  const records = EVENT_RECORDS as readonly EventRecordSpec[];
  const out: string[] = [
    `// Generated from ${SOURCE} by ${GENERATOR}: do not edit; change the schema and run the generator.`,
    "import type { TraceEvent } from './events';",
    "import type { FieldReader } from './records';",
    "import type { ByteReader } from './varint';",
    '',
    '/** The event of tag `tag` whose `dt` was just read, or undefined for a tag that is not an event. */',
    'export function decodeEvent(x: FieldReader, r: ByteReader, tag: number, seq: number, t: number): TraceEvent | undefined {',
    ...decoderCases(records.filter((rec) => rec.extension !== true)),
    '',
    '/**',
    ' * The extension record of tag `tag` read from `r`, a reader over its body (its',
    ' * length already read), or undefined for an extension this reader does not know.',
    ' */',
    'export function decodeExtension(x: FieldReader, r: ByteReader, tag: number, seq: number, t: number): TraceEvent | undefined {',
    ...decoderCases(records.filter((rec) => rec.extension === true)),
    '',
  ];
  return out.join('\n');
}

function decoderCases(records: readonly EventRecordSpec[]): string[] {
  const out = ['  switch (tag) {'];
  for (const rec of records) {
    for (const [name] of rec.fields) if (RESERVED.has(name)) throw new Error(`schema: field name "${name}" of ${rec.kind} cannot be a variable`);
    const reads = rec.fields.map(([name, wire]: FieldSpec) => `${name} = ${READ[wire]}`);
    const implied = Object.entries(rec.implied ?? {}).map(([name, value]) => `${name}: ${String(value)}`);
    const props = ['seq', 't', `kind: '${rec.kind}'`, ...rec.fields.map(([name]) => name), ...implied].join(', ');
    out.push(`    case ${hex(rec.tag)}: {`);
    if (reads.length > 0) out.push(`      const ${reads.join(', ')};`);
    out.push(`      return { ${props} };`, '    }');
  }
  out.push('    default:', '      return undefined;', '  }', '}');
  return out;
}

// -- docs/trace-format.md -----------------------------------------------------

const ENCODING_WORDS: Readonly<Record<WireType, (doc: string | undefined) => string>> = {
  u: (d) => paren('u', d), i: (d) => paren('i', d), s: (d) => paren('s', d), f: (d) => paren('f', d), k: (d) => paren('k', d),
  g: (d) => paren('g', d), o: (d) => paren('o', d),
  gkind: (d) => paren('u', d ?? 'below'), reason: (d) => paren('u', d ?? 'below'), okind: (d) => paren('u', d ?? 'below'),
  how: (d) => paren('u', d ?? 'below'),
  flags: (d) => paren('u', d ?? 'bits below'),
  timeout: (d) => paren('u', `0: none; else microseconds + 1${d !== undefined ? `; ${d}` : ''}`),
  capacity: (d) => paren('u', `0: unbounded; else ${d ?? 'the value'} + 1`),
  strs: () => '',
};

function paren(enc: string, doc: string | undefined): string {
  return `\`${enc}\`${doc !== undefined ? ` (${doc})` : ''}`;
}

function fieldWords([name, wire, doc]: FieldSpec): string {
  if (wire === 'strs') return `\`n: u\`, then n × \`s\` (\`${name}\` in JSON)`;
  const enc = ENCODING_WORDS[wire](doc);
  // `name: enc (doc)` with the name inside the first code span, as the tables always read.
  return `\`${name}: ${enc.slice(1)}`;
}

export function renderDocTables(): string {
  const out: string[] = [
    DOC_BEGIN,
    '',
    '### Definitions',
    '',
    '| tag | name | fields | defines |',
    '|---|---|---|---|',
  ];
  for (const r of DEFINITION_RECORDS) out.push(`| ${hex(r.tag)} | \`${r.name}\` | ${r.body} | ${r.defines} |`);
  out.push(
    '',
    'A frame in JSON: `{"file": string, "line": int, "function": string}`.',
    '',
    '### Events',
    '',
    '`kind` is the event\'s name in JSON. Every event in JSON also has `seq` (int) and',
    '`t` (microseconds since `t0`).',
    '',
    '| tag | kind | fields (JSON name: encoding) |',
    '|---|---|---|',
  );
  for (const r of EVENT_RECORDS as readonly EventRecordSpec[]) {
    const implied = Object.entries(r.implied ?? {}).map(([name, value]) => `\`${name}\` is ${String(value)}`);
    const layout = r.extension === true ? ['an extension record: `u` length instead of dt, and the previous event\'s time'] : [];
    const fields = [r.fields.map(fieldWords).join(', '), ...implied, ...layout].join('; ');
    out.push(`| ${hex(r.tag)} | \`${r.kind}\` | ${fields}${r.doc !== undefined ? `: ${r.doc}` : ''} |`);
  }
  for (const e of ENUMS) {
    const members = e.members.map((m) => `${m.value} \`${m.name}\`${m.doc !== undefined ? ` (${m.doc})` : ''}`).join(', ');
    out.push('', `\`${e.field}\`: ${members}.`);
  }
  out.push('', DOC_END);
  return out.join('\n');
}

/** The document with its generated part replaced (markers kept); throws if the markers are missing. */
export function withDocTables(doc: string): string {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin < 0 || end < begin) throw new Error(`${TRACE_FORMAT_DOC}: the generated-table markers are missing`);
  return doc.slice(0, begin) + renderDocTables() + doc.slice(end + DOC_END.length);
}
