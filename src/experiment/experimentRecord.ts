import { METRIC_NAMES, type MetricName } from '../sim/metrics.js';
import type { DesignKind, ParamSpec, ParamValue } from './types.js';

// The resolved experiment a manifest records: the effective settings of a sweep or a comparison,
// every default filled in, in the form of an experiment file (scenario, set, params, …). It says
// what decides the results, not where the settings came from, so a sweep made from an experiment
// file and the same sweep typed as options record the same experiment, byte for byte. The
// experiment's name and its output directory are labels, not settings: they are left out.

/** A parameter as an experiment file gives it: from/to/step (a grid), from/to (a range) or values (a list). */
export type ParamEntry =
  | { readonly path: string; readonly from: number; readonly to: number; readonly step: number }
  | { readonly path: string; readonly from: number; readonly to: number }
  | { readonly path: string; readonly values: readonly ParamValue[] };

export function paramEntry(p: ParamSpec): ParamEntry {
  if (p.kind === 'grid') return { path: p.path, from: p.from, to: p.to, step: p.step };
  if (p.kind === 'range') return { path: p.path, from: p.from, to: p.to };
  return { path: p.path, values: p.values };
}

export interface SweepExperimentRecord {
  /** The scenario file, as named in the manifest's scenarioFile. */
  readonly scenario: string;
  /** The `key.path=value` overrides, in the order applied. */
  readonly set: readonly string[];
  readonly params: readonly ParamEntry[];
  readonly design: DesignKind;
  readonly samples?: number;
  readonly levels?: number;
  readonly replications: number;
  readonly seed: number;
  /** The metrics recorded (every metric of the catalogue unless the experiment named some). */
  readonly metrics: readonly MetricName[];
  /** The warm-up window: summaries count ticks >= from. */
  readonly from: number;
  readonly timeseries: boolean;
}

export interface SweepRecordInput {
  readonly scenario: string;
  readonly settings: readonly string[];
  readonly design: { readonly kind: DesignKind; readonly params: readonly ParamSpec[]; readonly samples?: number; readonly levels?: number };
  readonly replications: number;
  readonly seed: number;
  readonly record: readonly MetricName[] | undefined;
  readonly from: number;
  readonly timeseries: boolean;
}

export function sweepExperimentRecord(p: SweepRecordInput): SweepExperimentRecord {
  return {
    scenario: p.scenario,
    set: [...p.settings],
    params: p.design.params.map(paramEntry),
    design: p.design.kind,
    ...(p.design.samples === undefined ? {} : { samples: p.design.samples }),
    ...(p.design.levels === undefined ? {} : { levels: p.design.levels }),
    replications: p.replications,
    seed: p.seed,
    metrics: [...(p.record ?? METRIC_NAMES)],
    from: p.from,
    timeseries: p.timeseries,
  };
}

export interface CompareExperimentRecord {
  /** Every scenario compared, the first the reference: its name, file and overrides in order. */
  readonly variants: readonly { readonly name: string; readonly scenario: string; readonly set: readonly string[] }[];
  readonly replications: number;
  readonly seed: number;
  /** The summary columns compared. */
  readonly columns: readonly string[];
  readonly metrics: readonly MetricName[];
  readonly from: number;
  readonly timeseries: boolean;
}
