import { describe, expect, it } from 'vitest';
import { createState, inProcess, type ShardRunner } from '../src/agents/ecosystem.js';
import { SearchIndex } from '../src/agents/ranking.js';
import { PlatformSignals } from '../src/agents/signals.js';
import type { ShardContext } from '../src/agents/shardPhases.js';
import type { EcosystemState, Shard } from '../src/agents/state.js';
import { DONE, type ShardQueue } from '../src/agents/shardQueue.js';
import { ShardThreads, type ShardThreadsOptions } from '../src/agents/threads.js';
import { Memory } from '../src/sim/memory.js';
import type { Scenario } from '../src/sim/scenario/schema.js';
import { simulate } from '../src/simulate.js';
import { scenario } from './helpers.js';

/** A state before its first phase, with a runner of its shard phases on `threads` threads. */
function prepared(s: Scenario, threads: number, options?: ShardThreadsOptions): { st: EcosystemState; runner: ShardRunner; ctx: ShardContext } {
  const st = createState(s, 0, new Memory(threads > 1));
  const search = s.platforms.map(() => new SearchIndex(st.partners.n, st.memory));
  const ctx: ShardContext = { signals: new PlatformSignals(s.platforms.length), search, tick: 0 };
  const runner = threads > 1 ? new ShardThreads(st, threads, search.map((x) => x.arrays()), options) : inProcess;
  return { st, runner, ctx };
}

/** A state of 30 shards whose customers have all just joined, most with a need: for runners by hand. */
function joined(threads: number): { st: EcosystemState; runner: ShardRunner; ctx: ShardContext } {
  const s = scenario({ customers: { count: 30 * 8192, initialAware: 1, needRate: 1 }, partners: { count: 200 } });
  const { st, runner, ctx } = prepared(s, threads);
  ctx.signals.base.fill(100);
  ctx.signals.open.fill(1);
  for (const phase of ['init', 'adoption'] as const) {
    runner.start(st, phase, ctx);
    runner.finish(st);
  }
  return { st, runner, ctx };
}

// MODEL section 1: one run split over threads gives the same output, byte for byte, as on one.
describe('one run on several threads', () => {
  it('gives identical metrics and summary on 1, 2, 3 and 4 threads, run after run', () => {
    const s = scenario({
      ticks: 30,
      customers: { count: 40_000, multiHoming: true, multiHomingCost: 0.01 },
      partners: { count: 1500 },
      network: { type: 'smallworld' },
      platforms: [{ name: 'a', couponValue: 0.05, subsidyBudget: 500, detection: 0.2, penalty: 0.5 }, { name: 'b', launchTick: 5, takeRate: 0.1 }],
      shocks: [{ type: 'demand', at: 10, duration: 5, factor: 1.5 }],
      // Policies that change while running reach the threads too.
      schedule: [{ at: 12, platform: 'a', set: { takeRate: 0.3, detection: 0.6, customerFee: 0.05 } }],
    });
    const one = simulate(s, { threads: 1 });
    // Threads take shards as they come free, so which thread runs which shard changes from run to
    // run: two runs on 2 threads check that it does not matter.
    for (const threads of [2, 3, 4, 2]) {
      const many = simulate(s, { threads });
      expect(JSON.stringify(many.metrics), `${threads} threads`).toBe(JSON.stringify(one.metrics));
      expect(JSON.stringify(many.summary)).toBe(JSON.stringify(one.summary));
    }
    // The split is real: 40 000 customers make five shards.
    expect(one.summary.all.final.customers).toBeGreaterThan(0);
  });

  it('is identical on threads with single-homing customers who switch, lapse and decline, and house supply set by a rule', () => {
    const s = scenario({
      ticks: 40,
      customers: { count: 40_000, switchRate: 0.2, switchingCost: 0.01, reentryDelay: 3, riskAversion: 1 },
      partners: { count: 1200, markup: 1 },
      network: { type: 'meanfield' },
      effects: { sameSide: 0.3 },
      platforms: [
        { name: 'a', trust: 0.2, customerFee: 0.1, subscription: 0.02 },
        { name: 'b', launchTick: 3, takeRate: 0.05, trust: 0.9, initialShare: 0 },
        { name: 'c', launchTick: 6, u0: 0.05, position: 0.5 },
      ],
      rules: [{ when: 'matchRate < 0.99 and tick >= 10', platform: 'b', set: { houseSupply: 30 }, once: true }],
      schedule: [{ at: 20, platform: 'b', set: { houseSupply: 5, trust: 0.4 } }],
      shocks: [{ type: 'partnerOutage', at: 12, duration: 4, share: 0.4 }],
    });
    const one = simulate(s, { threads: 1 });
    for (const threads of [2, 3]) {
      const many = simulate(s, { threads });
      expect(JSON.stringify(many.metrics), `${threads} threads`).toBe(JSON.stringify(one.metrics));
      expect(JSON.stringify(many.summary)).toBe(JSON.stringify(one.summary));
    }
    // What the run is meant to exercise happened: switches between platforms, declined deals, house supply.
    const rows = one.metrics.filter((r) => r.platform === 'b');
    expect(rows.reduce((a, r) => a + r.joins, 0)).toBeGreaterThan(0);
    expect(one.summary.all.total.declined).toBeGreaterThan(0);
    expect(one.metrics.find((r) => r.platform === 'b' && r.tick === 15)!.partners).toBeGreaterThanOrEqual(30);
  });

  it('follows the shards in order as each is done with a phase, on one thread and on two', () => {
    for (const threads of [1, 2]) {
      const { st, runner, ctx } = joined(threads);
      try {
        const seen: [number, number][] = [];
        runner.start(st, 'record', ctx);
        runner.finish(st, (sh: Shard) => seen.push([sh.index, sh.count]));
        expect(seen.map(([s]) => s)).toEqual(st.shards.map((sh) => sh.index));
        // Each shard is seen with its count of needs, drawn in the adoption phase.
        expect(seen.map(([, n]) => n)).toEqual(st.shards.map((sh) => sh.count));
        expect(Math.min(...seen.map(([, n]) => n))).toBeGreaterThan(0);
      } finally {
        runner.close();
      }
    }
  });

  it('reports a phase that fails on a thread while the main thread follows the shards, without hanging', () => {
    const { st, runner, ctx } = joined(2);
    try {
      // The needs of the last shard now name a platform that does not exist.
      const last = st.shards.at(-1)!;
      last.flags.fill(0xff, 0, last.count);
      const seen: number[] = [];
      // This thread waits in its first follow until the worker has answered, so the worker runs
      // the last shard and the failure is the worker's.
      const { sync } = (runner as unknown as { queue: ShardQueue }).queue;
      const until = Date.now() + 10_000;
      const follow = (sh: Shard) => {
        seen.push(sh.index);
        while (seen.length === 1 && Atomics.load(sync, DONE) === 0 && Date.now() < until);
      };
      runner.start(st, 'settle', ctx);
      expect(() => runner.finish(st, follow)).toThrow(/worker thread failed in phase settle.*policy/s);
      // Every shard done with the phase was followed, in order, and none other.
      expect(seen).toEqual(st.shards.slice(0, -1).map((sh) => sh.index));
    } finally {
      runner.close();
    }
  });

  it('reports a worker thread that fails to start, instead of waiting for it for ever', () => {
    const s = scenario({ customers: { count: 3 * 8192 }, partners: { count: 100 } });
    const { st, runner, ctx } = prepared(s, 2, { code: 'throw new Error("cannot load")', startupMs: 300 });
    try {
      const t0 = Date.now();
      runner.start(st, 'init', ctx);
      expect(() => runner.finish(st)).toThrow(/1 worker thread\(s\) did not start in time/);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      runner.close();
    }
  });

  it('stops when aborted, closing its threads', () => {
    const s = scenario({ ticks: 20, customers: { count: 20_000 }, partners: { count: 500 } });
    const ctl = new AbortController();
    expect(() => simulate(s, { threads: 2, signal: ctl.signal, onTick: (t) => t === 2 && ctl.abort() })).toThrow();
  });
});
