import fs from 'node:fs';
import nodePath from 'node:path';
import { InputError } from '../inputError.js';
import { sha256, type FileDigest } from './atomic.js';
import { RESULT_MANIFEST } from './resultDir.js';

// Reading a result directory as one result: its manifest, and each file only once it is checked to
// be the file the manifest lists (same size, same SHA-256). A file left by another command, changed
// by hand or cut short is refused with a message that says so, rather than drawn as if it belonged.

export interface OpenResult {
  readonly dir: string;
  readonly manifestFile: string;
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The outputs of the command that wrote the result, by name. */
  readonly files: Readonly<Record<string, FileDigest>>;
  /** Files made from the result later (report.html, sensitivity.csv), by name. */
  readonly derived: Readonly<Record<string, FileDigest>>;
}

const DIRECTORY = 'the output directory of "ecosim run", "ecosim sweep" or "ecosim compare --out"';

function digestsOf(value: unknown): Record<string, FileDigest> {
  const out: Record<string, FileDigest> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const d = v as Partial<FileDigest> | null;
    if (d !== null && typeof d === 'object' && typeof d.bytes === 'number' && typeof d.sha256 === 'string') out[k] = { bytes: d.bytes, sha256: d.sha256 };
  }
  return out;
}

/** Reads and checks the manifest of a result directory. */
export function openResult(dir: string): OpenResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new InputError(`${dir}: no such directory: expected ${DIRECTORY}`);
  }
  if (!stat.isDirectory()) throw new InputError(`${dir}: not a directory: expected ${DIRECTORY}`);
  const manifestFile = nodePath.join(dir, RESULT_MANIFEST);
  let text: string;
  try {
    text = fs.readFileSync(manifestFile, 'utf8');
  } catch {
    throw new InputError(`${dir}: not a result directory: expected ${RESULT_MANIFEST}, found none (expected ${DIRECTORY})`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${manifestFile}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest) || (manifest as Record<string, unknown>)['tool'] !== 'ecosim') {
    throw new InputError(`${manifestFile}: expected the manifest of an ecosim result ("tool": "ecosim"), found another JSON value`);
  }
  const m = manifest as Record<string, unknown>;
  const files = digestsOf(m['files']);
  if (Object.keys(files).length === 0) {
    throw new InputError(`${manifestFile}: lists no files with their digests (written by an older version of ecosim?): run the command that made it again`);
  }
  return { dir, manifestFile, manifest: m, files, derived: digestsOf(m['derived']) };
}

/** Whether the result lists a file (as an output or a derived file). */
export function hasMember(result: OpenResult, name: string): boolean {
  return name in result.files || name in result.derived;
}

/**
 * The bytes of a file of the result, checked against the manifest. `missing` says what to do when
 * the result has no such file (such as "sweep again with --timeseries").
 */
export function readMemberBytes(result: OpenResult, name: string, missing?: string): Buffer {
  const file = nodePath.join(result.dir, name);
  const expected = result.files[name] ?? result.derived[name];
  if (expected === undefined) {
    const present = fs.existsSync(file);
    const why = present ? `${file} is there, but ${result.manifestFile} does not list it: it is not part of this result (left by another command?)` : `${result.manifestFile} lists no ${name}`;
    throw new InputError(`${why}${missing === undefined ? '' : `: ${missing}`}`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new InputError(`${file}: no such file, but ${result.manifestFile} lists it: the directory is incomplete; run the command that made it again`);
  }
  if (bytes.length !== expected.bytes || sha256(bytes) !== expected.sha256) {
    throw new InputError(
      `${file}: does not match ${result.manifestFile} (expected ${expected.bytes} bytes with SHA-256 ${expected.sha256.slice(0, 12)}…, found ${bytes.length} bytes` +
        `${bytes.length === expected.bytes ? ' with other content' : ''}): it was changed or cut short after the result was written; run the command that made it again`,
    );
  }
  return bytes;
}

/** The text of a file of the result, checked against the manifest (see readMemberBytes). */
export function readMember(result: OpenResult, name: string, missing?: string): string {
  return readMemberBytes(result, name, missing).toString('utf8');
}
