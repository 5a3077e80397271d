import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from '../../shared/trace/crc32';

test('CRC-32 of "123456789" is the IEEE check value 0xCBF43926', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('CRC-32 of nothing is 0 and a running CRC equals the one-shot CRC', () => {
  assert.equal(crc32(new Uint8Array(0)), 0);
  const data = new TextEncoder().encode('The quick brown fox jumps over the lazy dog');
  assert.equal(crc32(data), 0x414fa339);
  const split = crc32(data, 10, data.length, crc32(data, 0, 10));
  assert.equal(split, crc32(data));
});
