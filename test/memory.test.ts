import { describe, expect, it } from 'vitest';
import { Memory } from '../src/sim/memory.js';

describe('memory for records read a cache line at a time', () => {
  it('gives at least the bytes asked for, shared when the memory is shared', () => {
    for (const shared of [false, true]) {
      const m = new Memory(shared);
      for (const n of [64, 65_535, 65_536, 1_000_000]) {
        const b = m.lines(n);
        expect(b.byteLength).toBeGreaterThanOrEqual(n);
        expect(b instanceof SharedArrayBuffer).toBe(shared);
      }
    }
  });

  it('zero-fills and keeps what is written, like any buffer', () => {
    const a = new Int32Array(new Memory(true).lines(1 << 20));
    expect(a.every((x) => x === 0)).toBe(true);
    a[a.length - 1] = 7;
    expect(a[a.length - 1]).toBe(7);
  });
});
