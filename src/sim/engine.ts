import type { MetricRow } from './metrics.js';

// The discrete-time engine (docs/model.md section 3). It knows no agent: a model hands it an
// ordered list of phases over one state object, and a way to read the tick's metrics. Keeping
// the whole state in one object (as MASON does) makes checkpoints and transfers to threads plain.

export interface Phase<S> {
  readonly name: string;
  run(state: S, tick: number): void;
}

export interface Model<S> {
  readonly state: S;
  readonly ticks: number;
  readonly phases: readonly Phase<S>[];
  /** The metric rows of the tick just run, read after the last phase. */
  collect(state: S, tick: number): readonly MetricRow[];
}

export interface StepObserver<S> {
  (tick: number, rows: readonly MetricRow[], state: Readonly<S>): void;
}

/** Runs a model tick by tick; `step` lets a caller (a live view, a test) advance it by hand. */
export class Engine<S> {
  private next = 0;
  private readonly rows: MetricRow[] = [];

  constructor(private readonly model: Model<S>) {}

  get tick(): number {
    return this.next;
  }

  get done(): boolean {
    return this.next >= this.model.ticks;
  }

  get state(): S {
    return this.model.state;
  }

  /** Every row collected so far, in tick order. */
  get metrics(): readonly MetricRow[] {
    return this.rows;
  }

  step(): readonly MetricRow[] {
    if (this.done) throw new Error(`the run has ended after ${this.model.ticks} ticks`);
    const t = this.next;
    const s = this.model.state;
    for (const phase of this.model.phases) phase.run(s, t);
    const rows = this.model.collect(s, t);
    for (const r of rows) this.rows.push(r);
    this.next = t + 1;
    return rows;
  }

  run(observe?: StepObserver<S>, signal?: AbortSignal): readonly MetricRow[] {
    while (!this.done) {
      signal?.throwIfAborted();
      const t = this.next;
      const rows = this.step();
      observe?.(t, rows, this.model.state);
    }
    return this.rows;
  }
}
