import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  GENERATED_FILES, GENERATOR, TRACE_FORMAT_DOC, renderCHeader, renderDecoder, renderPython, withDocTables,
} from '../../scripts/schema/render';
import { DEFINITION_RECORDS, EVENT_KINDS, EVENT_RECORDS, FIRST_EXTENSION_TAG, type EventRecordSpec } from '../../shared/trace/schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const fresh = (file: string, expected: string): void =>
  assert.ok(read(file) === expected, `${file} is stale: run node ${GENERATOR}`);

test('the generated Python constants, C header, decoder and format tables match the schema', () => {
  fresh(GENERATED_FILES.python, renderPython());
  fresh(GENERATED_FILES.cHeader, renderCHeader());
  fresh(GENERATED_FILES.decoder, renderDecoder());
  const doc = read(TRACE_FORMAT_DOC);
  fresh(TRACE_FORMAT_DOC, withDocTables(doc));
});

test('a changed schema makes the committed files stale', () => {
  const record = EVENT_RECORDS.find((r) => r.kind === 'mark')!;
  const saved = record.tag;
  (record as { tag: number }).tag = 0x31;
  try {
    assert.notEqual(renderPython(), read(GENERATED_FILES.python));
    assert.notEqual(renderDecoder(), read(GENERATED_FILES.decoder));
    assert.notEqual(withDocTables(read(TRACE_FORMAT_DOC)), read(TRACE_FORMAT_DOC));
  } finally {
    (record as { tag: number }).tag = saved;
  }
});

test('tags are unique, definitions below 0x10, events below the extension range and extension records in it, every kind has a record', () => {
  const tags = [...DEFINITION_RECORDS, ...EVENT_RECORDS].map((r) => r.tag);
  assert.equal(new Set(tags).size, tags.length);
  for (const r of DEFINITION_RECORDS) assert.ok(r.tag < 0x10);
  for (const r of EVENT_RECORDS as readonly EventRecordSpec[]) {
    // A reader that does not know an extension record skips it by its length; an event record has no length.
    assert.ok(r.extension === true ? r.tag >= FIRST_EXTENSION_TAG : r.tag >= 0x10 && r.tag < FIRST_EXTENSION_TAG, r.kind);
  }
  assert.deepEqual([...new Set(EVENT_RECORDS.map((r) => r.kind))], [...EVENT_KINDS]);
});

test('no runtime module defines a constant the generated module holds (no second copy of a number)', () => {
  const generated = new Set([...renderPython().matchAll(/^([A-Z][A-Z0-9_]*) = /gm)].map((m) => m[1]!));
  const dir = path.join(ROOT, 'runtime-instrumentation', 'greenlet_lens');
  const offenders: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.py') && f !== '_schema.py')) {
    fs.readFileSync(path.join(dir, file), 'utf8').split('\n').forEach((line, i) => {
      const m = /^\s*([A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)\s*=[^=]/.exec(line);
      for (const name of m?.[1]!.split(/\s*,\s*/) ?? []) if (generated.has(name)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test('the generated C header compiles', { skip: !fs.existsSync('/usr/bin/cc') && 'no C compiler here' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-schema-'));
  const source = path.join(dir, 'check.c');
  fs.writeFileSync(source, `#include "${path.join(ROOT, GENERATED_FILES.cHeader)}"\nint main(void) { return GLT_T_SPAWN == 0x10 ? 0 : 1; }\n`);
  const r = spawnSync('/usr/bin/cc', ['-std=c99', '-Wall', '-Werror', '-fsyntax-only', source], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
});
