// A sweep part: the output directory of one shard (`ecosim sweep --shard i/n`), a result of its own.
// Its manifest records the sweep's hash, the shard and the runs it holds, and the plan's inputs, so
// that `ecosim merge` rebuilds the very plan of the sweep; records.jsonl holds the shard's run
// records in run order (with their per-tick rows under --timeseries), one JSON line each, and
// runs.csv shows them as a whole sweep's runs.csv would. Reading a part checks all of it.

import fs from 'node:fs';
import nodePath from 'node:path';
import { InputError } from '../sim/inputError.js';
import type { OutputFile } from '../sim/output/atomic.js';
import { RESULT_MANIFEST } from '../sim/output/resultDir.js';
import { openResult, readMemberBytes, type OpenResult } from '../sim/output/resultManifest.js';
import { isMetricName, type MetricName } from '../sim/metrics.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { JOURNAL_FILE } from './journal.js';
import type { PlanInputs } from './plan.js';
import { SHARD_RULE, checkShard, runsText, shardSlice, shardText, type ShardSlice } from './shard.js';
import { EXPERIMENT_MANIFEST_FILE, RUNS_FILE, SEED_RULE, sweepOutputFiles, type ResultOutputs, type SweepOutputInput } from './sweepOutputs.js';
import type { Design } from './types.js';
import type { RunRecord } from './worker.js';

export const RECORDS_FILE = 'records.jsonl';
export const PART_FORMAT = 'ecosim-sweep-part';
export const PART_FORMAT_VERSION = 1;

export interface SweepPartManifest {
  readonly tool: 'ecosim';
  readonly version: string;
  readonly command: string;
  readonly format: typeof PART_FORMAT;
  readonly formatVersion: typeof PART_FORMAT_VERSION;
  /** The hash of the whole sweep's plan: the parts of one sweep share it. */
  readonly sweep: string;
  readonly shard: { readonly index: number; readonly count: number };
  readonly shardRule: string;
  /** The runs this part holds: `count` runs from run `first`, of the sweep's `total`. */
  readonly runs: { readonly first: number; readonly count: number; readonly total: number };
  readonly failedRuns: number;
  /** What the plan is made of (see assemblePlan): merge rebuilds the sweep's plan from it. */
  readonly plan: {
    readonly scenarioFile: string;
    readonly settings: readonly string[];
    /** The raw scenario with the overrides and the base seed applied. */
    readonly rawScenario: Readonly<Record<string, unknown>>;
    readonly design: Design;
    readonly replications: number;
    readonly seed: number;
    readonly timeseries: boolean;
    /** The warm-up window of the summaries (0: every tick). */
    readonly from: number;
    /** The metrics recorded (absent: all). */
    readonly record?: readonly MetricName[];
  };
  readonly seedRule: string;
  /** The resolved base scenario, before parameters, as a sweep's manifest has it. */
  readonly scenario: Scenario;
  readonly outputs: readonly string[];
}

const ROWS_PER_CHUNK = 64;

/** records.jsonl: the full record of each run, in run order, in chunks of lines. */
function* recordLines(records: readonly RunRecord[], read: (run: number) => RunRecord | undefined): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const r of records) {
    chunk += `${JSON.stringify(read(r.run) ?? r)}\n`;
    if (++count % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * The files of a sweep part: runs.csv (as a sweep's, of this shard's runs), records.jsonl and the
 * manifest. `input.records` are the shard's runs; `readRecord` gives a run's full record (with its
 * per-tick rows), kept on disk in the journal.
 */
export function sweepPartFiles(input: SweepOutputInput, slice: ShardSlice, readRecord: (run: number) => RunRecord | undefined): ResultOutputs<SweepPartManifest> {
  const { plan, records } = input;
  const runs = sweepOutputFiles(input).files.find((f) => f.name === RUNS_FILE)!;
  const files: OutputFile[] = [runs, { name: RECORDS_FILE, content: recordLines(records, readRecord) }];
  const manifest: SweepPartManifest = {
    tool: 'ecosim',
    version: input.version,
    command: input.command,
    format: PART_FORMAT,
    formatVersion: PART_FORMAT_VERSION,
    sweep: plan.hash,
    shard: { index: slice.index, count: slice.count },
    shardRule: SHARD_RULE,
    runs: { first: slice.first, count: slice.runs, total: slice.total },
    failedRuns: records.filter((r) => r.status === 'failed').length,
    plan: {
      scenarioFile: plan.label,
      settings: plan.settings,
      rawScenario: plan.raw,
      design: plan.design,
      replications: plan.replications,
      seed: plan.seed,
      timeseries: plan.timeseries,
      from: plan.from ?? 0,
      ...(plan.record === undefined ? {} : { record: plan.record }),
    },
    seedRule: SEED_RULE,
    scenario: plan.base,
    outputs: [RUNS_FILE, RECORDS_FILE, EXPERIMENT_MANIFEST_FILE],
  };
  return { files, manifest };
}

// ---------------------------------------------------------------------------------------------
// Reading a part back.

/** A directory that is not a (complete, intact) sweep part. */
export class SweepPartError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'SweepPartError';
  }
}

export interface SweepPart {
  readonly dir: string;
  readonly result: OpenResult;
  readonly version: string;
  readonly command: string;
  /** The sweep's hash, as the part records it. */
  readonly hash: string;
  readonly slice: ShardSlice;
  readonly inputs: PlanInputs;
}

const EXPECTED = 'expected the output directory of "ecosim sweep … --shard i/n"';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isWhole = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/** Why `dir` holds no manifest: nothing, or the journal of a shard still running or interrupted. */
function whyNoManifest(dir: string): string {
  const journal = nodePath.join(dir, JOURNAL_FILE);
  if (!fs.existsSync(journal)) return `not a sweep part (it has no ${RESULT_MANIFEST}): ${EXPECTED}`;
  const lines = fs.readFileSync(journal, 'utf8').split('\n').length - 2;
  return (
    `not a finished sweep part: it holds the journal of a sweep or shard that has not finished (${Math.max(0, lines)} runs recorded): ` +
    'wait for it to finish, or run its command again with --resume'
  );
}

/** The design as a part records it, checked enough that rebuilding the plan from it cannot go astray. */
function checkDesign(v: unknown): v is Design {
  if (!isObject(v) || typeof v['kind'] !== 'string' || !Array.isArray(v['params']) || !Array.isArray(v['points'])) return false;
  return v['points'].every((p: unknown, i: number) => isObject(p) && p['index'] === i && isObject(p['values']));
}

/** Reads and checks the manifest of a sweep part; throws a SweepPartError naming `dir` and what is wrong. */
export function readSweepPart(dir: string): SweepPart {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new SweepPartError(`${dir}: no such directory: ${EXPECTED}`);
  }
  if (!stat.isDirectory()) throw new SweepPartError(`${dir}: not a directory: ${EXPECTED}`);
  if (!fs.existsSync(nodePath.join(dir, RESULT_MANIFEST))) throw new SweepPartError(`${dir}: ${whyNoManifest(dir)}`);
  let result: OpenResult;
  try {
    result = openResult(dir);
  } catch (e) {
    if (e instanceof InputError) throw new SweepPartError(`${e.message.replace(/ \(?expected the output directory of .*$/, '')}: ${EXPECTED}`);
    throw e;
  }
  const m = result.manifest;
  const file = result.manifestFile;
  if (m['format'] !== PART_FORMAT) {
    const what = typeof m['command'] === 'string' ? `the result of "ecosim ${m['command']}"` : 'another ecosim result';
    const whole = m['command'] === 'sweep' ? ' (a whole sweep, not one of its shards)' : '';
    throw new SweepPartError(`${dir}: not a sweep part: it holds ${what}${whole}; ${EXPECTED}`);
  }
  if (m['formatVersion'] !== PART_FORMAT_VERSION) {
    throw new SweepPartError(`${file}: a sweep part of format version ${JSON.stringify(m['formatVersion'])}, expected ${PART_FORMAT_VERSION}: run its shard again with this version of ecosim`);
  }
  const bad = (key: string, expected: string) => new SweepPartError(`${file}: ${key}: expected ${expected}, found ${JSON.stringify(m[key.split('.')[0]!])?.slice(0, 60) ?? 'nothing'}`);
  const shard = m['shard'];
  if (!isObject(shard) || !isWhole(shard['count'], 1) || !isWhole(shard['index'], 1) || shard['index'] > shard['count']) throw bad('shard', '{ index, count } with 1 <= index <= count');
  const runs = m['runs'];
  if (!isObject(runs) || !isWhole(runs['first'], 0) || !isWhole(runs['count'], 0) || !isWhole(runs['total'], 0)) throw bad('runs', '{ first, count, total }, whole numbers');
  const plan = m['plan'];
  if (!isObject(plan)) throw bad('plan', 'the inputs of the sweep plan');
  const { scenarioFile, settings, rawScenario, design, replications, seed, timeseries, from, record } = plan;
  if (typeof scenarioFile !== 'string') throw bad('plan.scenarioFile', 'a string');
  if (!Array.isArray(settings) || !settings.every((x) => typeof x === 'string')) throw bad('plan.settings', 'a list of strings');
  if (!isObject(rawScenario)) throw bad('plan.rawScenario', 'a mapping');
  if (!checkDesign(design)) throw bad('plan.design', 'a design with kind, params and points');
  if (!isWhole(replications, 1)) throw bad('plan.replications', 'a whole number >= 1');
  if (!isWhole(seed, 0)) throw bad('plan.seed', 'a whole number >= 0');
  if (typeof timeseries !== 'boolean') throw bad('plan.timeseries', 'true or false');
  if (!isWhole(from, 0)) throw bad('plan.from', 'a whole number >= 0');
  if (record !== undefined && !(Array.isArray(record) && record.every((x) => typeof x === 'string' && isMetricName(x)))) throw bad('plan.record', 'a list of metric names');
  if (typeof m['sweep'] !== 'string' || typeof m['version'] !== 'string' || typeof m['command'] !== 'string') throw bad('sweep', 'the sweep hash, version and command');
  const slice = shardSlice(runs['total'], checkShard({ index: shard['index'], count: shard['count'] }));
  if (slice.first !== runs['first'] || slice.runs !== runs['count'] || runs['total'] !== design.points.length * replications) {
    throw new SweepPartError(
      `${file}: runs: shard ${shardText(slice)} of ${design.points.length * replications} runs holds ${runsText(slice)}, ` +
        `but the manifest says ${runsText({ first: runs['first'], runs: runs['count'] })} of ${runs['total']}: the part is damaged; run its shard again`,
    );
  }
  return {
    dir,
    result,
    version: m['version'],
    command: m['command'],
    hash: m['sweep'],
    slice,
    inputs: { label: scenarioFile, settings: settings as string[], raw: rawScenario, design, replications, seed, timeseries, from, ...(record === undefined ? {} : { record: record as MetricName[] }) },
  };
}

/** Where a record's line lies in records.jsonl, to read its per-tick rows back when they are written. */
export interface RecordExtent {
  readonly offset: number;
  readonly length: number;
}

export interface PartRecords {
  /** The part's records in run order, without per-tick rows. */
  readonly records: readonly RunRecord[];
  readonly extents: ReadonlyMap<number, RecordExtent>;
  /** records.jsonl, its content checked against the manifest. */
  readonly file: string;
}

function isRunRecord(x: unknown): x is RunRecord {
  return (
    isObject(x) && isWhole(x['run'], 0) && isWhole(x['point'], 0) && isWhole(x['replication'], 0) && typeof x['seed'] === 'number' &&
    isObject(x['values']) && (x['status'] === 'ok' || x['status'] === 'failed')
  );
}

/**
 * Reads a part's records.jsonl (checked against its manifest): one record per run of its slice, in
 * run order, each matching `expected(run)` (the plan's seed, point and replication of that run).
 */
export function readPartRecords(part: SweepPart, expected: (run: number) => { seed: number; point: number; replication: number } | undefined): PartRecords {
  const file = nodePath.join(part.dir, RECORDS_FILE);
  // The part is one result: each of its files must be the one its manifest lists, runs.csv too.
  for (const name of Object.keys(part.result.files)) if (name !== RECORDS_FILE) readMemberBytes(part.result, name);
  const buffer = readMemberBytes(part.result, RECORDS_FILE, 'run its shard again');
  const records: RunRecord[] = [];
  const extents = new Map<number, RecordExtent>();
  const damaged = (line: number, why: string) => new SweepPartError(`${file}: line ${line}: ${why}; the part is damaged: run its shard again`);
  let start = 0;
  for (let line = 1; start < buffer.length; line++) {
    const end = buffer.indexOf(0x0a, start);
    if (end < 0) throw damaged(line, 'no line end');
    let value: unknown;
    try {
      value = JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      throw damaged(line, 'not valid JSON');
    }
    const run = part.slice.first + records.length;
    if (!isRunRecord(value)) throw damaged(line, 'not a run record');
    const spec = expected(value.run);
    if (value.run !== run || spec === undefined || spec.seed !== value.seed || spec.point !== value.point || spec.replication !== value.replication) {
      throw damaged(line, `expected the record of run ${run} of the sweep, found one of run ${value.run} (point ${value.point}, replication ${value.replication}, seed ${value.seed})`);
    }
    const { metrics: _rows, ...light } = value;
    records.push(light);
    extents.set(value.run, { offset: start, length: end - start });
    start = end + 1;
  }
  if (records.length !== part.slice.runs) {
    throw new SweepPartError(`${file}: holds ${records.length} run records, expected the ${part.slice.runs} of shard ${shardText(part.slice)} (${runsText(part.slice)}): the part is damaged; run its shard again`);
  }
  return { records, extents, file };
}
