import fs from 'node:fs';
import nodePath from 'node:path';
import { parseCsv } from '../experiment/analyze.js';
import { InputError } from '../sim/inputError.js';
import { RESULT_MANIFEST } from '../sim/output/resultDir.js';
import { openResult, readMember } from '../sim/output/resultManifest.js';

// Reading the files of a result directory (of `run`, `sweep` or `compare --out`), for the charts
// and the report alike. Every file but the manifest is read only once it is checked to be the one
// the manifest lists, so a file of an earlier result is never drawn as part of this one. Problems a
// person can fix are InputErrors that name the file.

export type ResultKind = 'run' | 'sweep' | 'compare';

const DIRECTORY = 'the output directory of "ecosim run", "ecosim sweep" or "ecosim compare --out"';

export function readText(file: string, expected = 'a file of a result directory'): string {
  if (nodePath.basename(file) !== RESULT_MANIFEST) return readMember(openResult(nodePath.dirname(file)), nodePath.basename(file), expected);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file: expected ${expected}`);
    if (code === 'EISDIR' || code === 'EACCES' || code === 'ENOTDIR') throw new InputError(`${file}: cannot be read (${code})`);
    throw e;
  }
}

/** A CSV file with the columns it must have; blank lines dropped. */
export function readTable(file: string, required: readonly string[], expected?: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parseCsv(readText(file, expected));
  const missing = required.filter((c) => !header?.includes(c));
  if (header === undefined || missing.length > 0) throw new InputError(`${file}: expected a header with the columns ${required.join(', ')}, missing ${missing.join(', ')}`);
  return { header, rows: rows.filter((r) => !(r.length === 1 && r[0] === '')) };
}

/** A JSON file holding an object. */
export function readJson(file: string, expected?: string): Record<string, unknown> {
  const text = readText(file, expected);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file}: expected a JSON object`);
  return raw as Record<string, unknown>;
}

/** A number from a CSV field: null for an empty or non-numeric field. */
/** A plain mapping read from JSON (not an array, not null). */
export const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A JSON value as a finite number, or null. */
export function numOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

export function numberOf(field: string | undefined): number | null {
  if (field === undefined || field.trim() === '') return null;
  const v = Number(field);
  return Number.isFinite(v) ? v : null;
}

/** What kind of result directory `dir` is, by the file its manifest lists that only that command writes. */
export function resultKind(dir: string): ResultKind {
  const result = openResult(dir);
  const has = (f: string) => f in result.files;
  if (has('metrics.csv')) return 'run';
  if (has('points.csv')) return 'sweep';
  if (has('compare.csv')) return 'compare';
  throw new InputError(`${result.manifestFile}: lists none of metrics.csv (from "ecosim run"), points.csv (from "ecosim sweep") or compare.csv (from "ecosim compare --out"): expected ${DIRECTORY}`);
}

/** Whether the result in `dir` lists a file (checked when it is read). */
export function resultHas(dir: string, name: string): boolean {
  const result = openResult(dir);
  return name in result.files || name in result.derived;
}
