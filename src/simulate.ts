import { ecosystemModel, type EcosystemModel } from './agents/ecosystem.js';
import type { SearchArrays } from './agents/ranking.js';
import { ShardThreads } from './agents/threads.js';
import type { EcosystemState } from './agents/state.js';
import { Engine, type StepObserver } from './sim/engine.js';
import type { MetricRow } from './sim/metrics.js';
import type { RunSummary, SimulationResult } from './sim/result.js';
import type { Scenario } from './sim/scenario/schema.js';
import { summarizePlatform } from './sim/summary.js';
import { summarizeSegments } from './sim/segmentSummary.js';
import { checkWarmup } from './sim/warmup.js';
import './sim/inliningBudget.js';

// The library's entry to one run: the engine driving the ecosystem model.

export interface SimulateOptions {
  /** Replication index: a different, reproducible stream of randomness for the same seed. */
  readonly replication?: number;
  /** Worker threads for the customers' phases of this one run (default 1): the result is the same. */
  readonly threads?: number;
  /** Called after every tick with that tick's rows and a read-only view of the state. */
  readonly onTick?: StepObserver<EcosystemState>;
  readonly signal?: AbortSignal;
  /**
   * The warm-up window: the summary's totals and means count only ticks >= from (default 0), as a
   * researcher discards a launch; the per-tick metrics stay complete. A whole number below the ticks.
   */
  readonly from?: number;
}

/** A run that can be advanced tick by tick (a live view, a test), then summarized. */
export class Simulation {
  readonly engine: Engine<EcosystemState>;

  private readonly model: EcosystemModel;

  /** With `threads` above 1 the customers' phases run on that many worker threads: call `close` after. */
  constructor(readonly scenario: Scenario, readonly replication = 0, threads = 1) {
    const runner = threads > 1 ? (st: EcosystemState, search: readonly SearchArrays[]) => new ShardThreads(st, threads, search) : undefined;
    this.model = ecosystemModel(scenario, { replication, runner });
    this.engine = new Engine(this.model);
  }

  /** Stops the worker threads of a threaded run; a run on one thread has none. */
  close(): void {
    this.model.close();
  }

  step(): readonly MetricRow[] {
    return this.engine.step();
  }

  get done(): boolean {
    return this.engine.done;
  }

  /** The run summary; with `from`, totals and means count only ticks >= from (see SimulateOptions). */
  summary(from = 0): RunSummary {
    const s = this.scenario;
    const rows = this.engine.metrics;
    const names = [...this.engine.state.platforms.map((p) => p.name), 'all'];
    const of = (name: string) => rows.filter((r) => r.platform === name);
    const platforms = this.engine.state.platforms.map((pl) =>
      summarizePlatform({ name: pl.name, rows: of(pl.name), launchTick: pl.launchTick, tipShare: s.tipShare, failedAt: pl.failedAt, from }),
    );
    const firstLaunch = Math.min(...s.platforms.map((p) => p.launchTick));
    const all = summarizePlatform({ name: names[names.length - 1]!, rows: of('all'), launchTick: firstLaunch, tipShare: s.tipShare, failedAt: null, from });
    const st = this.engine.state;
    return {
      name: s.name,
      seed: s.seed,
      replication: this.replication,
      ticks: this.engine.tick,
      // Recorded only when there is a warm-up, so a summary of every tick reads as it always has.
      ...(from > 0 ? { from } : {}),
      platforms,
      all,
      ...(s.customers.segments.length > 0 ? { segments: summarizeSegments(st.segmentRows, from) } : {}),
      ...(s.experiments.length > 0 ? { experiments: st.experiments.flatMap((e) => (e.result ? [e.result] : [])) } : {}),
    };
  }

  result(from = 0): SimulationResult {
    const st = this.engine.state;
    return {
      scenario: this.scenario,
      metrics: this.engine.metrics,
      summary: this.summary(from),
      ...(this.scenario.customers.segments.length > 0 ? { segments: st.segmentRows } : {}),
    };
  }
}

/** Runs a resolved scenario to the end and returns its per-tick metrics and run summary. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const from = checkWarmup(options.from, scenario.ticks);
  const sim = new Simulation(scenario, options.replication ?? 0, options.threads ?? 1);
  try {
    sim.engine.run(options.onTick, options.signal);
    return sim.result(from);
  } finally {
    sim.close();
  }
}

const YIELD_EVERY_MS = 20;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The same run as `simulate`, tick for tick, but it hands the event loop a turn every few
 * milliseconds: signal handlers (Ctrl-C), timers and I/O go on while it runs, and `signal` can
 * stop it from any of them.
 */
export async function simulateAsync(scenario: Scenario, options: SimulateOptions = {}): Promise<SimulationResult> {
  const from = checkWarmup(options.from, scenario.ticks);
  const sim = new Simulation(scenario, options.replication ?? 0, options.threads ?? 1);
  const { signal, onTick } = options;
  try {
    let lastTurn = performance.now();
    while (!sim.done) {
      signal?.throwIfAborted();
      const t = sim.engine.tick;
      const rows = sim.step();
      onTick?.(t, rows, sim.engine.state);
      if (performance.now() - lastTurn >= YIELD_EVERY_MS) {
        await turn();
        lastTurn = performance.now();
      }
    }
    await turn();
    signal?.throwIfAborted();
    return sim.result(from);
  } finally {
    sim.close();
  }
}
