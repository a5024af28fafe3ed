// Merging the parts of a sharded sweep (`ecosim sweep … --shard i/n`, one part per shard) into the
// files of the whole sweep. Every part is read and checked (manifest, digests, records); they must
// be parts of one sweep (same plan hash, same n) and cover every run exactly once: all n shards,
// none twice. The plan is rebuilt from the parts' records of its inputs, and the files are written
// by the sweep's own output functions, so they are byte-identical to one local sweep's.

import fs from 'node:fs';
import nodePath from 'node:path';
import { InputError } from '../sim/inputError.js';
import { lockOutputDir, type DirLock } from '../sim/output/dirLock.js';
import { checkOutputOwnership } from '../sim/output/resultDir.js';
import { isScenarioError } from '../sim/scenario/errors.js';
import { VERSION } from '../version.js';
import { canonicalJson } from './journal.js';
import { assemblePlan, failuresOf, type RunFailure, type SweepPlan } from './plan.js';
import { runsText, shardSlice, shardText } from './shard.js';
import { sweepOutputFiles, writeResult } from './sweepOutputs.js';
import { readPartRecords, readSweepPart, SweepPartError, type PartRecords, type SweepPart } from './sweepPart.js';
import type { Design } from './types.js';
import type { RunRecord, TickRow } from './worker.js';

export interface MergeOptions {
  /** The parts' directories (the shards' --out), in any order. */
  readonly parts: readonly string[];
  /** Where the whole sweep's files are written. */
  readonly out: string;
  /** Write into `out` even when it holds files ecosim did not write (they are left alone). */
  readonly force?: boolean;
}

export interface MergeResult {
  readonly out: string;
  /** Files written into `out`, in the order they were moved into place. */
  readonly files: readonly string[];
  readonly design: Design;
  readonly replications: number;
  readonly runs: number;
  readonly ok: number;
  readonly failed: readonly RunFailure[];
  /** The number of parts merged (the sweep's n). */
  readonly parts: number;
}

/** Parts that cannot be merged: one problem a line, each naming the parts it is about. */
export class MergeError extends InputError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'MergeError';
  }
}

interface Candidate {
  readonly part: SweepPart;
  readonly plan: SweepPlan;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** In plain words, how the plan of `other` differs from that of `ref`. */
function differences(ref: Candidate, other: Candidate): string {
  const a = ref.part;
  const b = other.part;
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => canonicalJson(x) === canonicalJson(y);
  if (a.version !== b.version) out.push(`written by ecosim ${b.version}, not ${a.version}`);
  if (a.inputs.label !== b.inputs.label) out.push(`scenario file ${b.inputs.label}, not ${a.inputs.label}`);
  if (!same(a.inputs.settings, b.inputs.settings)) out.push(`--set ${JSON.stringify(b.inputs.settings)}, not ${JSON.stringify(a.inputs.settings)}`);
  // The raw scenario holds the base seed, which is told apart below.
  else if (!same({ ...a.inputs.raw, seed: 0 }, { ...b.inputs.raw, seed: 0 })) out.push('the scenario differs');
  if (a.inputs.design.kind !== b.inputs.design.kind) out.push(`design ${b.inputs.design.kind}, not ${a.inputs.design.kind}`);
  else if (!same(a.inputs.design, b.inputs.design)) out.push(`other parameters or points (${b.inputs.design.points.length} points, not ${a.inputs.design.points.length})`);
  if (a.inputs.replications !== b.inputs.replications) out.push(`${b.inputs.replications} replications, not ${a.inputs.replications}`);
  if (a.inputs.seed !== b.inputs.seed) out.push(`seed ${b.inputs.seed}, not ${a.inputs.seed}`);
  if (a.inputs.timeseries !== b.inputs.timeseries) out.push(b.inputs.timeseries ? 'with --timeseries, the others without' : 'without --timeseries, the others with');
  if ((a.inputs.from ?? 0) !== (b.inputs.from ?? 0)) out.push(`--from ${b.inputs.from ?? 0}, not ${a.inputs.from ?? 0}`);
  if (!same(a.inputs.record ?? null, b.inputs.record ?? null)) out.push(`--record ${b.inputs.record?.join(',') ?? '(all)'}, not ${a.inputs.record?.join(',') ?? '(all)'}`);
  return out.length === 0 ? `its hash ${short(b.hash)} is not ${short(a.hash)}` : out.join('; ');
}

/** Reads every part and checks that they are the n parts of one sweep; returns them in shard order. */
function checkParts(dirs: readonly string[]): { readonly plan: SweepPlan; readonly parts: readonly SweepPart[] } {
  const problems: string[] = [];
  const candidates: Candidate[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    const key = nodePath.resolve(dir);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(`overlapping parts: ${dir} is given twice${earlier === dir ? '' : ` (as ${earlier} too)`}`);
      continue;
    }
    seen.set(key, dir);
    let part: SweepPart;
    try {
      part = readSweepPart(dir);
    } catch (e) {
      if (!(e instanceof SweepPartError)) throw e;
      problems.push(e.message);
      continue;
    }
    if (part.version !== VERSION) {
      problems.push(`${dir}: a part written by ecosim ${part.version}, and this is ecosim ${VERSION}: merge with the version that ran the shards, or run them again`);
      continue;
    }
    let plan: SweepPlan;
    try {
      plan = assemblePlan(part.inputs);
    } catch (e) {
      if (!isScenarioError(e)) throw e;
      problems.push(`${part.result.manifestFile}: plan.rawScenario does not resolve (${e.message.split('\n')[0]}): the part is damaged; run its shard again`);
      continue;
    }
    if (plan.hash !== part.hash) {
      problems.push(`${part.result.manifestFile}: its plan gives the hash ${short(plan.hash)}, not the ${short(part.hash)} it records: the part is damaged; run its shard again`);
      continue;
    }
    candidates.push({ part, plan });
  }

  // The sweep is the one most parts belong to (the first given, when as many belong to another).
  const tally = new Map<string, number>();
  const keyOf = (c: Candidate) => `${c.part.hash}/${c.part.slice.count}`;
  for (const c of candidates) tally.set(keyOf(c), (tally.get(keyOf(c)) ?? 0) + 1);
  let ref: Candidate | undefined;
  for (const c of candidates) if (ref === undefined || tally.get(keyOf(c))! > tally.get(keyOf(ref))!) ref = c;

  const byIndex = new Map<number, SweepPart[]>();
  if (ref !== undefined) {
    const n = ref.part.slice.count;
    for (const c of candidates) {
      const { part } = c;
      if (part.hash !== ref.part.hash) {
        problems.push(`${part.dir} (shard ${shardText(part.slice)}) is a part of another sweep than ${ref.part.dir}: ${differences(ref, c)}`);
      } else if (part.slice.count !== n) {
        problems.push(`${part.dir} is shard ${shardText(part.slice)}, but ${ref.part.dir} is a shard of ${n} (…/${n}): run every shard of a sweep with the same n`);
      } else {
        byIndex.set(part.slice.index, [...(byIndex.get(part.slice.index) ?? []), part]);
      }
    }
    for (const [index, parts] of [...byIndex].sort((x, y) => x[0] - y[0])) {
      if (parts.length < 2) continue;
      problems.push(`overlapping parts: ${parts.map((p) => p.dir).join(' and ')} ${parts.length === 2 ? 'both' : 'all'} hold shard ${shardText(parts[0]!.slice)} (${runsText(parts[0]!.slice)}): give each shard once`);
      byIndex.set(index, parts.slice(0, 1));
    }
    const total = ref.plan.runs.length;
    const missing: string[] = [];
    for (let i = 1; i <= n; i++) {
      if (!byIndex.has(i)) missing.push(`${i}/${n} (${runsText(shardSlice(total, { index: i, count: n }))})`);
    }
    if (missing.length > 0) {
      const listed = missing.length > 10 ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more` : missing.join(', ');
      problems.push(`missing shard${missing.length === 1 ? '' : 's'} ${listed} of the sweep of ${ref.part.dir}: run ${missing.length === 1 ? 'it' : 'them'} (ecosim sweep … --shard i/${n}) and merge all ${n} parts`);
    }
  }
  if (problems.length > 0) throw new MergeError(problems);
  if (ref === undefined) throw new MergeError(['no parts given: expected the output directories of every shard of a sweep']);
  return { plan: ref.plan, parts: [...byIndex.values()].map((p) => p[0]!).sort((a, b) => a.slice.index - b.slice.index) };
}

/** Reads per-tick rows back from the parts' records.jsonl, keeping one file open at a time (runs come in order). */
class TickReader {
  private open: { readonly file: string; readonly fd: number } | undefined;

  constructor(private readonly where: ReadonlyMap<number, PartRecords>) {}

  read(run: number): readonly TickRow[] {
    const part = this.where.get(run);
    const at = part?.extents.get(run);
    if (part === undefined || at === undefined) return [];
    if (this.open?.file !== part.file) {
      this.close();
      this.open = { file: part.file, fd: fs.openSync(part.file, 'r') };
    }
    const buffer = Buffer.alloc(at.length);
    fs.readSync(this.open.fd, buffer, 0, at.length, at.offset);
    return (JSON.parse(buffer.toString('utf8')) as RunRecord).metrics ?? [];
  }

  close(): void {
    if (this.open !== undefined) fs.closeSync(this.open.fd);
    this.open = undefined;
  }
}

/** Takes the lock of each part, so that no shard writes one while it is read; none where the parts cannot be written (read-only storage). */
function lockParts(dirs: readonly string[]): DirLock[] {
  const locks: DirLock[] = [];
  try {
    for (const dir of new Set(dirs.map((d) => nodePath.resolve(d)))) {
      try {
        locks.push(lockOutputDir(dir, 'merge'));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
      }
    }
    return locks;
  } catch (e) {
    for (const l of locks) l.release();
    throw e;
  }
}

/**
 * Merges the parts of a sharded sweep into `out`: runs.csv, points.csv, (timeseries.csv) and
 * manifest.json, byte-identical to those of the same sweep run without --shard. Parts that are not
 * the n parts of one sweep throw a MergeError naming them, before anything is written.
 */
export function mergeParts(options: MergeOptions): MergeResult {
  const { out } = options;
  const target = nodePath.resolve(out);
  const clash = options.parts.filter((p) => nodePath.resolve(p) === target);
  if (clash.length > 0) throw new MergeError([`--out ${out}: is one of the parts (${clash[0]}): write the whole sweep into another directory`]);
  const lock = lockOutputDir(out, 'merge');
  let partLocks: DirLock[] = [];
  let reader: TickReader | undefined;
  try {
    checkOutputOwnership(out, options.force === true);
    partLocks = lockParts(options.parts);
    const { plan, parts } = checkParts(options.parts);
    const records: RunRecord[] = [];
    const where = new Map<number, PartRecords>();
    const problems: string[] = [];
    for (const part of parts) {
      let read: PartRecords;
      try {
        read = readPartRecords(part, (run) => plan.runs[run]);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems.push(e.message);
        continue;
      }
      for (const r of read.records) {
        records.push(r);
        where.set(r.run, read);
      }
    }
    if (problems.length > 0) throw new MergeError(problems);
    const ticks = new TickReader(where);
    reader = ticks;
    const outputs = sweepOutputFiles({ version: VERSION, command: parts[0]!.command, plan, records, readTimeseries: (run) => ticks.read(run) });
    const { names } = writeResult(out, outputs, { force: options.force === true });
    const failed = failuresOf(records);
    return { out, files: names, design: plan.design, replications: plan.replications, runs: records.length, ok: records.length - failed.length, failed, parts: parts.length };
  } finally {
    reader?.close();
    for (const l of partLocks) l.release();
    lock.release();
  }
}
