import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TraceError } from '../../shared/errors';
import {
  ByteReader, OutOfData, encodeIVarint, encodeUVarint, zigzagDecode, zigzagEncode,
} from '../../shared/trace/varint';
import { seededRandom } from '../support/random';

const SAMPLES = [0, 1, 2, 127, 128, 255, 300, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];

test('unsigned LEB128 round trips, including above 32 bits', () => {
  const rand = seededRandom(1);
  const values = [...SAMPLES, ...Array.from({ length: 500 }, () => Math.floor(rand() * 2 ** (rand() * 53)))];
  for (const v of values) {
    const bytes: number[] = [];
    encodeUVarint(v, bytes);
    const r = new ByteReader(Uint8Array.from(bytes), 0);
    assert.equal(r.u(), v);
    assert.equal(r.remaining, 0, `all bytes of ${v} consumed`);
  }
});

test('LEB128 matches the documented byte layout', () => {
  const bytes: number[] = [];
  encodeUVarint(300, bytes);
  assert.deepEqual(bytes, [0xac, 0x02]);
  assert.equal(new ByteReader(Uint8Array.from([0xe5, 0x8e, 0x26]), 0).u(), 624485);
});

test('zigzag maps 0,-1,1,-2,2 to 0,1,2,3,4 and round trips signed values', () => {
  assert.deepEqual([0, -1, 1, -2, 2].map(zigzagEncode), [0, 1, 2, 3, 4]);
  for (const v of [0, -1, 1, -255, 255, -(2 ** 40), 2 ** 40, -(2 ** 52), 2 ** 52 - 1]) {
    assert.equal(zigzagDecode(zigzagEncode(v)), v);
    const bytes: number[] = [];
    encodeIVarint(v, bytes);
    assert.equal(new ByteReader(Uint8Array.from(bytes), 0).i(), v);
  }
});

test('a varint cut short signals OutOfData, an overlong one is a BadRecord', () => {
  assert.throws(() => new ByteReader(Uint8Array.from([0x80, 0x80]), 0).u(), OutOfData);
  const overlong = new ByteReader(new Uint8Array(12).fill(0xff), 100);
  assert.throws(() => overlong.u(), (err: unknown) => err instanceof TraceError && err.code === ErrorCode.BadRecord);
});
