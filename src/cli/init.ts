import fs from 'node:fs';
import type { Command } from 'commander';
import { writeFileAtomic } from '../sim/output/atomic.js';
import { scenarioStem } from './bundled.js';
import { CliError } from './errors.js';
import { writeError } from './options.js';

// ecosim init <file>: writes a commented starter scenario to edit.

interface InitOptions {
  force?: boolean;
}

const EXAMPLES = `
Example:
  $ ecosim init my-market.yaml
  $ ecosim validate my-market.yaml
  $ ecosim run my-market.yaml`;

/** A starter scenario: every main key, each with a one-line comment; valid as it stands. */
export function starterScenario(name: string): string {
  return `# An ecosim scenario: a platform, the partners who supply through it, and the customers they serve.
# Every key is optional and falls back to its default. Check it with: ecosim validate <this file>
# For completion in your editor: ecosim schema --out scenario.schema.json, then add  $schema: ./scenario.schema.json

# A short name, shown in summaries and used in output files.
name: ${JSON.stringify(name)}
# What this scenario asks; its first sentence is shown by "ecosim scenarios".
description: A two-sided marketplace with one orchestrator, starting from nothing.
# How many ticks (weeks, say) the run lasts.
ticks: 260
# Length of a tick in the unit of the hazards below (1 = one week if the rates are weekly).
dt: 1
# Random seed: the same seed gives the same run, byte for byte.
seed: 42
# Customer share at which a platform counts as tipped.
tipShare: 0.5
# The customer side: how many, how they hear of the platform, what they value, when they leave.
customers:
  count: 10000         # agents on the customer side
  p: 0.01              # Bass innovation hazard (marketing)
  q: 0.3               # Bass imitation hazard (word of mouth)
  needRate: 0.3        # probability of a need per tick while a member
  churnBase: 0.005     # hazard of leaving for reasons outside the model
  riskAversion: 0.5    # risk premium of dealing with a stranger, share of the price, at trust 0
  reentryDelay: 13     # ticks a customer who left waits before it considers joining again
  differentiation: 0.1 # taste cost per tick per unit of distance to a platform's position
  switchRate: 0.05     # hazard of reviewing one's platform (single-homing customers)
  switchingCost: 0.05  # utility given up by moving to another platform
  multiHoming: false   # may a customer hold several memberships
  tieProbability: 0.3  # chance that a match forms an off-platform relationship (leakage)
# The partner side: suppliers who join, serve needs and may leave.
partners:
  count: 500           # agents on the partner side
  capacity: 20         # needs one partner can serve per tick
  markup: 0.5          # price over cost
  fixedCost: 0.5       # cost per tick while on a platform
  passThrough: 0.5     # share of the commission partners pass into their price
# Who talks to whom, for word of mouth: meanfield (everyone), smallworld or scalefree.
network:
  type: smallworld
  degree: 10           # neighbours per customer (even)
  rewire: 0.1          # rewiring probability
# Network effects: how much members value other members on the same side and on the other side.
effects:
  sameSide: 0.05
  crossSide: 1.0
  halfSaturation: 50   # partners at which the cross-side signal is one half
# The platforms (at most 8), each with its policies; the first is the orchestrator.
platforms:
  - name: orchestrator
    takeRate: 0.15     # commission on the partner price
    customerFee: 0     # fee on the customer, share of the price
    subscription: 0    # customer fee per tick of membership
    u0: 0.02           # stand-alone value to a customer, per tick, times its valuation
    trust: 0.5         # trust and safety in [0, 1]: lowers customers' risk premium
    trustPortability: 0.5  # share of that trust a pair carries off the platform (leakage)
    houseSupply: 0     # platform-owned partners; rules and schedules may change it
    ranking: rating    # random, rating or promoted
    partnerSubsidy: 0  # paid to each active partner per tick while the budget lasts
    subsidyBudget: 0   # null = unlimited
# Policy changes at given ticks, e.g.  - { at: 52, platform: orchestrator, set: { takeRate: 0.2 } }
schedule: []
# Policy changes when last tick's metrics meet a condition, e.g.  - { when: "customers >= 5000", set: { partnerSubsidy: 0 }, once: true }
rules: []
# Events from outside: partnerOutage, demand or entrant, e.g.  - { type: demand, at: 100, duration: 4, factor: 1.5 }
shocks: []
# The platform's own A/B tests, e.g.  - { name: coupon, start: 52, duration: 13, set: { couponValue: 0.2 }, metric: matches }
experiments: []
`;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented starter scenario to edit')
    .argument('<file>', 'the scenario file to create, e.g. my-market.yaml')
    .option('-f, --force', 'overwrite the file if it exists')
    .addHelpText('after', EXAMPLES)
    .action((file: string, options: InitOptions) => {
      if (!options.force && fs.existsSync(file)) throw new CliError(`${file}: exists already; not overwritten (use --force to replace it)`);
      try {
        writeFileAtomic(file, starterScenario(scenarioStem(file)));
      } catch (e) {
        throw writeError(file, e);
      }
      process.stdout.write(`wrote ${file}\nnext: ecosim validate ${file}, then ecosim run ${file}\n`);
    });
}
