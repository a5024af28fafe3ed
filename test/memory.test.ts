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

// The state of a run stays under 100 bytes a customer with one platform, the social graph aside
// (what lets a million customers fit and run fast); the scenario loader's estimate covers it.
describe('bytes of state per customer', () => {
  it('stays under 100 with one platform, and within the loader\'s estimate', async () => {
    const { footprint } = await import('../src/agents/footprint.js');
    const { Simulation } = await import('../src/simulate.js');
    const { scenarioFromObject } = await import('../src/index.js');
    const { BYTES_PER_CUSTOMER } = await import('../src/sim/scenario/load.js');
    const n = 200_000;
    const sim = new Simulation(scenarioFromObject({ ticks: 30, customers: { count: n }, partners: { count: n / 20 }, network: { type: 'meanfield' } }), 0, 1);
    try {
      sim.engine.run();
      const perCustomer = footprint(sim.engine.state).customers / n;
      expect(perCustomer).toBeLessThan(100);
      expect(perCustomer).toBeLessThanOrEqual(BYTES_PER_CUSTOMER);
    } finally {
      sim.close();
    }
  });
});
