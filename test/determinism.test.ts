import { describe, expect, it } from 'vitest';
import { Simulation, simulate, simulateAsync } from '../src/simulate.js';
import { scenario } from './helpers.js';

// MODEL section 1: one seed gives the same run, byte for byte; replications differ.
const s = scenario({ ticks: 60, customers: { count: 20_000 }, partners: { count: 800 }, network: { type: 'smallworld' } });

describe('determinism', () => {
  it('the same scenario and seed give identical metrics and summary', () => {
    const a = simulate(s);
    const b = simulate(s);
    expect(JSON.stringify(b.metrics)).toBe(JSON.stringify(a.metrics));
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
  });

  it('stepping by hand gives the same run as running through', () => {
    const sim = new Simulation(s);
    while (!sim.done) sim.step();
    expect(JSON.stringify(sim.result().metrics)).toBe(JSON.stringify(simulate(s).metrics));
  });

  it('the asynchronous run gives the same run as the synchronous one', async () => {
    const ticks: number[] = [];
    const r = await simulateAsync(s, { onTick: (t) => ticks.push(t) });
    expect(JSON.stringify(r.metrics)).toBe(JSON.stringify(simulate(s).metrics));
    expect(ticks).toEqual([...Array(s.ticks).keys()]);
  });

  it('another replication or seed gives another run', () => {
    const base = JSON.stringify(simulate(s).metrics);
    expect(JSON.stringify(simulate(s, { replication: 1 }).metrics)).not.toBe(base);
    expect(JSON.stringify(simulate({ ...s, seed: s.seed + 1 }).metrics)).not.toBe(base);
  });

  it('never writes NaN or an infinity into a metric', () => {
    const r = simulate(scenario({ ticks: 30, customers: { count: 500 }, partners: { count: 0 } }));
    for (const row of r.metrics) for (const [k, v] of Object.entries(row)) if (k !== 'platform') expect(Number.isFinite(v), k).toBe(true);
  });

  it('stops when aborted', () => {
    const ctl = new AbortController();
    expect(() => simulate(s, { signal: ctl.signal, onTick: (t) => t === 3 && ctl.abort() })).toThrow();
  });
});
