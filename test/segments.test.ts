import { describe, expect, it } from 'vitest';
import { PricingGroups } from '../src/agents/pricingGroups.js';
import { SegmentTable } from '../src/agents/segments.js';
import { Simulation, simulate } from '../src/simulate.js';
import { isScenarioError, type ScenarioProblem } from '../src/sim/scenario/errors.js';
import { scenarioFromObject } from '../src/sim/scenario/load.js';
import { SEGMENT_FLOWS } from '../src/sim/segmentMetrics.js';
import { rowsOf, scenario } from './helpers.js';

// MODEL section 10.1: customer segments with their shares and overrides, prices per segment,
// segments.csv adding up to the platform rows, and the key paths and errors that go with them.

const SEGMENTS = [
  { name: 'consumers', share: 0.5 },
  { name: 'smb', share: 0.3, needRate: 0.6 },
  { name: 'enterprise', share: 0.2, valueMean: 6, valueSigma: 0.1 },
];

function problems(raw: Record<string, unknown>, settings: string[] = []): ScenarioProblem[] {
  try {
    scenarioFromObject(raw, settings);
  } catch (e) {
    if (isScenarioError(e)) return e.problems;
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('customer segments', () => {
  it('draws each segment with its share, within sampling error', () => {
    const n = 40_000;
    const sim = new Simulation(scenario({ ticks: 1, customers: { count: n, segments: SEGMENTS }, partners: { count: 10 } }));
    const counts = [0, 0, 0];
    for (const g of sim.engine.state.customers.segment) counts[g]!++;
    SEGMENTS.forEach((g, i) => {
      const sd = Math.sqrt(n * g.share * (1 - g.share));
      expect(Math.abs(counts[i]! - n * g.share)).toBeLessThan(4 * sd);
    });
  });

  // A shard stores its customers by segment; their places in the network are dealt at random, so
  // a segment is neither a stretch of the small world's ring nor the scale-free graph's hubs.
  for (const network of [{ type: 'smallworld' }, { type: 'scalefree' }]) {
    it(`a segment is no neighbourhood: ${network.type}`, () => {
      const n = 30_000;
      const halves = [
        { name: 'a', share: 0.5 },
        { name: 'b', share: 0.5 },
      ];
      const sim = new Simulation(scenario({ ticks: 1, customers: { count: n, segments: halves }, partners: { count: 10 }, network }));
      const { segment } = sim.engine.state.customers;
      const graph = sim.engine.state.graph!;
      let same = 0;
      const degree = [0, 0];
      for (let i = 0; i < n; i++) {
        for (let e = graph.offsets[i]!; e < graph.offsets[i + 1]!; e++) if (segment[graph.neighbors[e]!] === segment[i]) same++;
        degree[segment[i]!]! += graph.offsets[i + 1]! - graph.offsets[i]!;
      }
      const ends = graph.offsets[n]!;
      // Two halves placed at random: half of the links join a customer to its own segment.
      expect(Math.abs(same / ends - 0.5)).toBeLessThan(0.02);
      // And each half holds half of the link ends, hubs included.
      expect(Math.abs(degree[0]! / ends - 0.5)).toBeLessThan(0.02);
      sim.close();
    });
  }

  it("a segment's overrides reach only its customers", () => {
    const sim = new Simulation(scenario({ ticks: 60, seed: 3, customers: { count: 6000, segments: SEGMENTS }, partners: { count: 300 }, network: { type: 'meanfield' } }));
    const c = sim.engine.state.customers;
    const value = [0, 0, 0];
    const counts = [0, 0, 0];
    for (let i = 0; i < c.n; i++) {
      value[c.segment[i]!] += c.value[i]!;
      counts[c.segment[i]!]!++;
    }
    // Valuations: log-normal of mean 2 (customers' default) but 6 for enterprise.
    expect(value[0]! / counts[0]!).toBeCloseTo(2, 0);
    expect(value[1]! / counts[1]!).toBeCloseTo(2, 0);
    expect(value[2]! / counts[2]!).toBeCloseTo(6, 0);
    sim.engine.run();
    const rows = sim.result().segments!.filter((r) => r.tick >= 30);
    const needsPerMember = (name: string) => {
      const sel = rows.filter((r) => r.segment === name);
      return sel.reduce((a, r) => a + r.needs, 0) / sel.reduce((a, r) => a + r.customers, 0);
    };
    // Need rates: 0.3 a tick, 0.6 for smb only.
    expect(needsPerMember('consumers')).toBeGreaterThan(0.25);
    expect(needsPerMember('consumers')).toBeLessThan(0.35);
    expect(needsPerMember('enterprise')).toBeLessThan(0.35);
    expect(needsPerMember('smb')).toBeGreaterThan(0.52);
  });

  it('segment prices apply only to their segment: a subscription for enterprise drives enterprise away, not the others', () => {
    const run = (segmentPolicies: Record<string, unknown>) =>
      simulate(scenario({ ticks: 80, seed: 4, customers: { count: 5000, segments: SEGMENTS }, partners: { count: 300 }, network: { type: 'meanfield' }, platforms: [{ segmentPolicies }] }));
    const last = (r: ReturnType<typeof run>, name: string) => r.segments!.filter((x) => x.segment === name).at(-1)!.customers;
    const open = run({});
    const priced = run({ enterprise: { subscription: 1.5 } });
    expect(last(priced, 'enterprise')).toBeLessThan(0.2 * last(open, 'enterprise'));
    expect(last(priced, 'consumers')).toBeGreaterThan(0.8 * last(open, 'consumers'));
    expect(last(priced, 'smb')).toBeGreaterThan(0.8 * last(open, 'smb'));
    // The subscription is paid by enterprise members only: their revenue per member-tick is at least it.
    const ent = priced.segments!.filter((x) => x.segment === 'enterprise' && x.customers > 0);
    const subs = ent.reduce((a, r) => a + r.revenue, 0) / ent.reduce((a, r) => a + r.customers, 0);
    expect(subs).toBeGreaterThanOrEqual(1.5);
  });

  it("the pricing table gives each group its segment's policy over the platform's", () => {
    const s = scenario({ customers: { segments: SEGMENTS }, platforms: [{ subscription: 0.1, customerFee: 0.05, segmentPolicies: { enterprise: { subscription: 2 }, smb: { customerFee: 0 } } }] });
    const sim = new Simulation(s);
    const groups = new PricingGroups(new SegmentTable(s), s.experiments);
    const pl = sim.engine.state.platforms[0]!;
    expect({ ...groups.customerPolicy(pl, 0) }).toEqual({ customerFee: 0.05, subscription: 0.1, couponValue: 0 });
    expect({ ...groups.customerPolicy(pl, 1) }).toEqual({ customerFee: 0, subscription: 0.1, couponValue: 0 });
    expect({ ...groups.customerPolicy(pl, 2) }).toEqual({ customerFee: 0.05, subscription: 2, couponValue: 0 });
  });

  it('the sums of segments.csv equal the platform rows of metrics.csv every tick', () => {
    const r = simulate(scenario({ ticks: 50, seed: 5, customers: { count: 4000, segments: SEGMENTS }, partners: { count: 200 }, platforms: [{ subscription: 0.02, customerFee: 0.05, segmentPolicies: { enterprise: { subscription: 0.5 } } }] }));
    const rows = rowsOf(r);
    for (const row of rows) {
      const segs = r.segments!.filter((x) => x.tick === row.tick && x.platform === 'orchestrator');
      expect(segs).toHaveLength(3);
      const total = (m: (typeof SEGMENT_FLOWS)[number] | 'customers') => segs.reduce((a, x) => a + x[m], 0);
      expect(total('customers')).toBe(row.customers);
      for (const m of ['joins', 'churned', 'needs', 'matches', 'declined', 'unmet', 'leaked'] as const) expect(total(m)).toBe(row[m]);
      expect(total('gmv')).toBeCloseTo(row.gmv, 6);
      expect(total('customerValue')).toBeCloseTo(row.customerValue, 6);
      // Revenue from customers: commission, fees (no promotion here) and subscriptions.
      expect(total('revenue')).toBeCloseTo(row.commission + row.fees + row.subscriptions, 6);
    }
    expect(r.summary.segments!.map((x) => x.segment)).toEqual(['consumers', 'smb', 'enterprise']);
  });

  it('a run with segments is identical on one thread and on three', () => {
    const s = scenario({ ticks: 30, seed: 6, customers: { count: 30_000, segments: SEGMENTS }, partners: { count: 300 }, platforms: [{ segmentPolicies: { smb: { couponValue: 0.1 } }, subsidyBudget: null }] });
    const one = simulate(s);
    const three = simulate(s, { threads: 3 });
    expect(JSON.stringify(three.metrics)).toBe(JSON.stringify(one.metrics));
    expect(JSON.stringify(three.segments)).toBe(JSON.stringify(one.segments));
    expect(JSON.stringify(three.summary)).toBe(JSON.stringify(one.summary));
  });

  it('without segments nothing changes: one segment "all", and no segment rows', () => {
    const r = simulate(scenario({ ticks: 5, customers: { count: 500 }, partners: { count: 20 } }));
    expect(r.segments).toBeUndefined();
    expect(r.summary.segments).toBeUndefined();
  });
});

describe('segment key paths and rules', () => {
  const raw = { ticks: 40, seed: 7, customers: { count: 3000, segments: SEGMENTS }, partners: { count: 200 }, network: { type: 'meanfield' } };

  it('--set reaches a segment by name and a segment policy of a platform', () => {
    const s = scenarioFromObject(raw, ['customers.segments.enterprise.valueMean=3', 'platforms.0.segmentPolicies.enterprise.subscription=1', 'platforms.orchestrator.segmentPolicies.smb.customerFee=0.1']);
    expect(s.customers.segments[2]!.valueMean).toBe(3);
    expect(s.platforms[0]!.segmentPolicies).toEqual({ enterprise: { subscription: 1 }, smb: { customerFee: 0.1 } });
  });

  it('a misspelt segment name gets a suggestion, in a key path and in segmentPolicies', () => {
    const [p1] = problems(raw, ['customers.segments.entreprise.valueMean=3']);
    expect(p1!.path).toBe('customers.segments.entreprise.valueMean');
    expect(p1!.hint).toBe('enterprise');
    const [p2] = problems({ ...raw, platforms: [{ segmentPolicies: { entreprise: { subscription: 1 } } }] });
    expect(p2!.path).toBe('platforms.0.segmentPolicies.entreprise');
    expect(p2!.expected).toContain('consumers, smb, enterprise');
    expect(p2!.hint).toBe('enterprise');
  });

  it('a schedule and a rule change a segment policy, in the dotted form and the nested one', () => {
    const s = scenarioFromObject({
      ...raw,
      schedule: [{ at: 20, set: { 'segmentPolicies.enterprise.subscription': 2 } }],
      rules: [{ when: 'tick >= 30', set: { segmentPolicies: { smb: { subscription: 2 } } }, once: true }],
    });
    expect(s.schedule[0]!.set).toEqual({ segmentPolicies: { enterprise: { subscription: 2 } } });
    const r = simulate(s);
    const at = (name: string, tick: number) => r.segments!.find((x) => x.segment === name && x.tick === tick)!.customers;
    expect(at('enterprise', 39)).toBeLessThan(0.3 * at('enterprise', 19));
    expect(at('smb', 39)).toBeLessThan(0.5 * at('smb', 29));
    expect(at('consumers', 39)).toBeGreaterThan(0.8 * at('consumers', 29));
  });

  it('rejects shares that do not add up to 1, and duplicate names', () => {
    const ps = problems({ customers: { segments: [{ name: 'a', share: 0.5 }, { name: 'a', share: 0.3 }] } });
    expect(ps.map((p) => p.path)).toEqual(['customers.segments', 'customers.segments.1.name']);
    expect(ps[0]!.expected).toBe('segment shares that add up to 1');
    expect(ps[0]!.found).toContain('0.8');
  });

  it('rejects a segment key that is not per customer, naming it', () => {
    const [p] = problems({ customers: { segments: [{ name: 'a', share: 1, searchDepth: 3 }] } });
    expect(p!.path).toBe('customers.segments.0.searchDepth');
    expect(p!.expected).toContain('valueMean');
  });
});
