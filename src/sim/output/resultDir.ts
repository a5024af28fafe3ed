import fs from 'node:fs';
import nodePath from 'node:path';
import { InputError } from '../inputError.js';
import {
  buildDir,
  fsyncDir,
  isDirectory,
  isTempFileName,
  moveFilesInto,
  removeCreatedParents,
  tempDirName,
  writeFileAtomic,
  type Content,
  type FileDigest,
  type OutputFile,
} from './atomic.js';

// A result directory holds one result: the files of one run, sweep or comparison, their manifest
// (which lists every file with its size and SHA-256), and what was made from them later (a report,
// sensitivity indices), listed in the manifest too. Writing a result replaces the whole directory
// when it holds an earlier ecosim result, so no file of that result survives to be read as part of
// this one; a directory with files ecosim did not write is refused unless the caller forces it.

export const RESULT_MANIFEST = 'manifest.json';

/** Every file name ecosim writes into a result directory (outputs, derived files, the sweep journal). */
export const ECOSIM_FILE_NAMES: readonly string[] = [
  'manifest.json',
  'metrics.csv',
  'summary.json',
  'runs.csv',
  'points.csv',
  'timeseries.csv',
  'compare.csv',
  'sensitivity.csv',
  'report.html',
  'journal.jsonl',
  'segments.csv',
  'experiments.csv',
  'records.jsonl',
];

const JOURNAL_FORMAT = 'ecosim-sweep-journal';

export type OutputDirState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  /** An earlier ecosim result (or an interrupted sweep's journal), and nothing else. */
  | { readonly kind: 'ecosim' }
  | { readonly kind: 'foreign'; readonly foreign: readonly string[] };

/** Files ecosim did not write found in an output directory. */
export class ForeignFilesError extends InputError {
  constructor(readonly dir: string, readonly foreign: readonly string[]) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    super(
      `${dir}: expected an empty directory or an earlier ecosim result to replace, found files ecosim did not write (${shown}): ` +
        'choose another --out, or add --force to write there anyway (the files of an earlier result are replaced, the others left alone)',
    );
    this.name = 'ForeignFilesError';
  }
}

function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isJournal(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(4096);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const first = buffer.toString('utf8', 0, n).split('\n')[0] ?? '';
    return (JSON.parse(first) as { format?: unknown }).format === JOURNAL_FORMAT;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The names a manifest lists: its outputs, the files it has digests of and the files derived from it. */
function listedNames(manifest: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const outputs = manifest['outputs'];
  if (Array.isArray(outputs)) for (const o of outputs) if (typeof o === 'string') names.add(o);
  for (const key of ['files', 'derived']) {
    const v = manifest[key];
    if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) names.add(k);
  }
  return names;
}

/** What an output directory holds: nothing, an earlier ecosim result, or files of someone else. */
export function inspectOutputDir(dir: string): OutputDirState {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ENOTDIR') throw new InputError(`${dir}: expected a directory to write into, found a file`);
    throw e;
  }
  if (entries.length === 0) return { kind: 'empty' };
  const manifest = readJsonObject(nodePath.join(dir, RESULT_MANIFEST));
  const ours = manifest?.['tool'] === 'ecosim' || isJournal(nodePath.join(dir, 'journal.jsonl'));
  const known = new Set([...ECOSIM_FILE_NAMES, ...(manifest === undefined ? [] : listedNames(manifest))]);
  const foreign = entries
    .filter((e) => !ours || !e.isFile() || !(known.has(e.name) || isTempFileName(e.name)))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  return foreign.length === 0 ? { kind: 'ecosim' } : { kind: 'foreign', foreign };
}

/** Throws a ForeignFilesError when `dir` holds files ecosim did not write (unless forced). */
export function checkOutputOwnership(dir: string, force = false): OutputDirState {
  const state = inspectOutputDir(dir);
  if (state.kind === 'foreign' && !force) throw new ForeignFilesError(dir, state.foreign);
  return state;
}

export interface ResultWriteOptions {
  /** Write into a directory that holds files ecosim did not write, leaving them there. */
  readonly force?: boolean;
}

/** JSON as written to output files: 2-space indent and a final newline. */
function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Replaces directory `target` by the complete directory `tmpDir`: two renames, the old one kept until the new one is in place. */
function swapDirs(tmpDir: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  fs.rmSync(old, { recursive: true, force: true });
  fs.renameSync(target, old);
  try {
    fs.renameSync(tmpDir, target);
  } catch (e) {
    fs.renameSync(old, target);
    throw e;
  }
  fsyncDir(nodePath.dirname(target));
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Writes a result: `files`, then `manifest.json` holding `manifest` with a `files` entry that gives
 * each file's size and SHA-256. The files are built and checked in a temporary sibling directory;
 * then the directory appears whole (it did not exist), replaces the earlier ecosim result whole
 * (no file of it is left), or, with `force` in a directory holding files ecosim did not write, the
 * files are moved in one by one and the earlier result's other files removed. On any failure the
 * directory is left as it was (an interrupted sweep's journal included) and nothing else remains.
 */
export function writeResultDir(
  dir: string,
  files: readonly OutputFile[],
  manifest: Readonly<Record<string, unknown>>,
  options: ResultWriteOptions = {},
): Record<string, FileDigest> {
  const target = nodePath.resolve(dir);
  const parent = nodePath.dirname(target);
  checkOutputOwnership(dir, options.force);
  const tmpDir = tempDirName(target);
  const createdParent = fs.mkdirSync(parent, { recursive: true });
  let done = false;
  try {
    const digests = buildDir(tmpDir, files, { name: RESULT_MANIFEST, content: (d) => jsonText({ ...manifest, files: d }) });
    const names = [...files.map((f) => f.name), RESULT_MANIFEST];
    const state = inspectOutputDir(target);
    if (state.kind === 'absent') {
      fs.renameSync(tmpDir, target);
      fsyncDir(parent);
    } else if (state.kind !== 'foreign') {
      swapDirs(tmpDir, target);
    } else {
      if (options.force !== true) throw new ForeignFilesError(dir, state.foreign);
      moveFilesInto(tmpDir, target, names);
      const stale = fs.readdirSync(target).filter((n) => !names.includes(n) && (ECOSIM_FILE_NAMES.includes(n) || isTempFileName(n)));
      for (const n of stale) fs.rmSync(nodePath.join(target, n), { force: true });
      fsyncDir(target);
    }
    done = true;
    delete digests[RESULT_MANIFEST];
    return digests;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    if (!done && createdParent !== undefined) removeCreatedParents(parent, createdParent);
  }
}

/**
 * Writes a file made from a result into its directory (a report, sensitivity indices) and lists it,
 * with its digest, under `derived` in the result's manifest, so that readers can tell it belongs to
 * this result. Each of the two writes is atomic; between them, the file reads as not belonging.
 */
export function writeDerivedFile(dir: string, name: string, content: Content): FileDigest {
  const manifestFile = nodePath.join(dir, RESULT_MANIFEST);
  const manifest = readJsonObject(manifestFile);
  if (manifest === undefined || manifest['tool'] !== 'ecosim' || !isDirectory(dir)) {
    throw new InputError(`${manifestFile}: expected the manifest of an ecosim result, found ${fs.existsSync(manifestFile) ? 'another file' : 'none'}`);
  }
  const digest = writeFileAtomic(nodePath.join(dir, name), content);
  const derived = { ...((manifest['derived'] as Record<string, FileDigest> | undefined) ?? {}), [name]: digest };
  writeFileAtomic(manifestFile, jsonText({ ...manifest, derived }));
  return digest;
}
