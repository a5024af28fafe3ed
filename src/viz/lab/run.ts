import { ecosystemModel, type EcosystemModel } from '../../agents/ecosystem.js';
import { Engine } from '../../sim/engine.js';
import type { MetricRow } from '../../sim/metrics.js';
import type { PolicyPatch, Scenario } from '../../sim/scenario/schema.js';

// One live run of the lab: the engine and the ecosystem model, advanced a tick at a time, taking
// policy changes between ticks. A change is written into the run's own schedule at the tick it
// applies to, so the model applies it exactly as it applies a scheduled change from a file: the
// session saved as a scenario with those schedule entries replays to the same numbers.
// No Node import and no thread: this runs in the lab's Web Worker (and in tests).

/** A policy change made while the run goes: from the next tick on, for one platform. */
export interface Intervention {
  readonly at: number;
  readonly platform: number;
  readonly set: PolicyPatch;
}

export class LabRun {
  readonly scenario: Scenario;
  readonly interventions: Intervention[] = [];
  private readonly model: EcosystemModel;
  private readonly engine: Engine<EcosystemModel['state']>;
  /** Changes to make when the run reaches their tick (a shared link's interventions). */
  private readonly planned: Intervention[];

  constructor(scenario: Scenario, planned: readonly Intervention[] = []) {
    // The schedule grows as the session goes; the caller's scenario stays as it was given.
    this.scenario = structuredClone(scenario);
    this.model = ecosystemModel(this.scenario, { replication: 0 });
    this.engine = new Engine(this.model);
    this.planned = [...planned].sort((a, b) => a.at - b.at);
  }

  /** The next tick to run. */
  get tick(): number {
    return this.engine.tick;
  }

  get ticks(): number {
    return this.scenario.ticks;
  }

  get done(): boolean {
    return this.engine.done;
  }

  /** Rows of every tick run so far. */
  get metrics(): readonly MetricRow[] {
    return this.engine.metrics;
  }

  /** The policy in force on a platform (what the sliders show). */
  policy(platform: number): Readonly<Record<string, unknown>> {
    return this.engine.state.platforms[platform]!.policy;
  }

  /** Room for house partners of each platform, fixed before the first tick. */
  houseRoom(): number[] {
    return this.engine.state.platforms.map((p) => p.houseSlots);
  }

  /** Runs one tick, after making the changes planned for it, and returns its rows. */
  step(): { rows: readonly MetricRow[]; applied: Intervention[] } {
    const applied: Intervention[] = [];
    while (this.planned.length > 0 && this.planned[0]!.at <= this.tick) {
      const p = this.planned.shift()!;
      if (p.at === this.tick) applied.push(this.intervene(p.platform, p.set));
    }
    return { rows: this.engine.step(), applied };
  }

  /** Changes a platform's policy from the next tick on; throws when the run has ended or the platform does not exist. */
  intervene(platform: number, set: PolicyPatch): Intervention {
    if (this.done) throw new Error(`the run has ended after ${this.ticks} ticks: reset to change the policy`);
    if (!Number.isInteger(platform) || platform < 0 || platform >= this.scenario.platforms.length) {
      throw new Error(`no platform ${platform}: the scenario has ${this.scenario.platforms.length}`);
    }
    // Room for house partners is made before the first tick, from the scenario; more would be room a
    // replay of the saved session makes and this run does not, and the two would part.
    const room = this.engine.state.platforms[platform]!.houseSlots;
    if (set.houseSupply !== undefined && set.houseSupply > room) {
      throw new Error(`houseSupply ${set.houseSupply} is more than the room for ${room} house partners this scenario makes: give the platform that houseSupply in the scenario, or a schedule that reaches it`);
    }
    const entry: Intervention = { at: this.tick, platform, set: { ...set } };
    // The model reads this very schedule at the start of every tick (orchestrator's policy phase).
    this.engine.state.scenario.schedule.push({ at: entry.at, platform, set: { ...set } });
    this.interventions.push(entry);
    return entry;
  }
}
