// The vocabulary of experiments: parameters to vary, designs of points, and what a run reports.
// Building the points, running them, and collecting the results are separate stages (as in Mesa).

/** A scenario key to vary, by its dotted path (docs/model.md section 9). */
export type ParamSpec =
  /** `path=from:to:step`: a grid of values from `from` to `to` inclusive. */
  | { readonly kind: 'grid'; readonly path: string; readonly from: number; readonly to: number; readonly step: number }
  /** `path=from:to`: bounds, for sampled designs (Latin hypercube, random, Sobol, Morris). */
  | { readonly kind: 'range'; readonly path: string; readonly from: number; readonly to: number }
  /** `path=a,b,c`: a list of values. */
  | { readonly kind: 'list'; readonly path: string; readonly values: readonly ParamValue[] };

export type ParamValue = number | string | boolean;

export type DesignKind = 'grid' | 'lhs' | 'random' | 'sobol' | 'morris';

/** One point of a design: a value for every parameter, by path. */
export interface DesignPoint {
  readonly index: number;
  readonly values: Readonly<Record<string, ParamValue>>;
}

export interface Design {
  readonly kind: DesignKind;
  readonly params: readonly ParamSpec[];
  readonly points: readonly DesignPoint[];
  /** Sobol (Saltelli): base sample size N, points = N (k + 2). Morris: trajectories r and levels p. */
  readonly samples?: number;
  readonly levels?: number;
}
