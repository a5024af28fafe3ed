// What an in-market experiment reports (docs/model.md section 10.2): the platform's estimate from
// its treated and control units, and the true global effect from the two forked copies.

/** The columns of experiments.csv, in order: every field of a result. */
export const EXPERIMENT_COLUMNS = [
  'name', 'platform', 'unit', 'metric', 'segment', 'start', 'duration', 'share', 'treated', 'control',
  'treatedMean', 'controlMean', 'estimate', 'ciLow', 'ciHigh', 'pValue',
  'trueTreatedMean', 'trueControlMean', 'trueEffect', 'bias', 'decision', 'direction', 'adopted',
] as const;

export interface ExperimentResult {
  readonly name: string;
  readonly platform: string;
  readonly unit: 'customers' | 'partners';
  readonly metric: string;
  readonly segment: string | null;
  readonly start: number;
  readonly duration: number;
  readonly share: number;
  readonly treated: number;
  readonly control: number;
  readonly treatedMean: number;
  readonly controlMean: number;
  /** Treated mean less control mean: what the platform sees. */
  readonly estimate: number;
  /** Welch 95% interval of the estimate and its two-sided p-value (null without spread or with fewer than two units a side). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly pValue: number | null;
  /** Mean outcome per unit when every unit is treated, and when none is (the forked copies). */
  readonly trueTreatedMean: number;
  readonly trueControlMean: number;
  readonly trueEffect: number;
  /** estimate - trueEffect. */
  readonly bias: number;
  readonly decision: 'none' | 'adopt' | 'adoptIfBetter';
  readonly direction: 'raise' | 'lower';
  /** Whether the treated policy was applied to every unit at the end. */
  readonly adopted: boolean;
}

