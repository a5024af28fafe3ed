import { describe, expect, it } from 'vitest';
import { Simulation } from '../src/simulate.js';
import { loadScenarioSync } from '../src/sim/scenario/load.js';
import type { Scenario } from '../src/sim/scenario/schema.js';
import { scenario } from './helpers.js';

// A market of one platform without multi-homing (EcosystemState.onePlatform) takes loops made for
// it in the customers' phases. They must give the run the general loops give, draw for draw: each
// scenario here runs both ways, and the metrics (and segment rows) must match byte for byte.

function onePlatform(s: Scenario): boolean {
  const sim = new Simulation(s);
  try {
    return (sim.engine.state as { onePlatform: boolean }).onePlatform;
  } finally {
    sim.close();
  }
}

function metrics(s: Scenario, general: boolean): { onePlatform: boolean; metrics: string } {
  const sim = new Simulation(s);
  try {
    const state = sim.engine.state as { onePlatform: boolean };
    const onePlatform = state.onePlatform;
    if (general) state.onePlatform = false;
    while (!sim.done) sim.step();
    const r = sim.result();
    return { onePlatform, metrics: JSON.stringify([r.metrics, r.segments ?? null, r.summary]) };
  } finally {
    sim.close();
  }
}

const markets: Record<string, Record<string, unknown>> = {
  // Churn, lapsing, re-entry and taste costs, with a public signal that moves every tick.
  baseline: { ticks: 80, customers: { count: 4000, differentiation: 0.4, reentryDelay: 5 }, partners: { count: 200 } },
  // A subscription and a join cost: members pay every tick, joiners once; a late launch.
  priced: {
    ticks: 60,
    customers: { count: 3000, joinCost: 0.5, initialShare: 0.3 },
    partners: { count: 150 },
    platforms: [{ name: 'orchestrator', launchTick: 5, subscription: 0.05 }],
  },
  // The step rule at zero temperature and ticks of half a week.
  stepRule: { ticks: 60, dt: 0.5, customers: { count: 3000, temperature: 0 }, partners: { count: 150 } },
};

describe('the one-platform loops', () => {
  for (const [name, raw] of Object.entries(markets)) {
    it(`give the general loops' run: ${name}`, () => {
      const fast = metrics(scenario(raw), false);
      const general = metrics(scenario(raw), true);
      expect(fast.onePlatform).toBe(true);
      expect(fast.metrics).toBe(general.metrics);
    });
  }

  // Segments priced apart; customer tests (their groups and the ledger, and the forked copies
  // that measure the true effects); a partner test.
  for (const file of ['segments', 'ab-test-coupon', 'ab-test-take-rate']) {
    it(`give the general loops' run: the ${file} scenario`, () => {
      const s = loadScenarioSync(`scenarios/${file}.yaml`, ['ticks=70', 'customers.count=4000', 'partners.count=200']);
      const fast = metrics(s, false);
      expect(fast.onePlatform).toBe(true);
      expect(fast.metrics).toBe(metrics(s, true).metrics);
    });
  }

  it('are not taken with several platforms or multi-homing', () => {
    expect(onePlatform(scenario({ platforms: [{ name: 'a' }, { name: 'b' }] }))).toBe(false);
    expect(onePlatform(scenario({ customers: { multiHoming: true } }))).toBe(false);
  });
});
