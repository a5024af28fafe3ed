// The journal of a sweep (DESIGN.md, principle 8): every finished run is appended to
// `<out>/journal.jsonl` as one JSON line and flushed to disk before the sweep goes on, so a sweep
// that is interrupted (Ctrl-C, a crash, a power cut) resumes where it stopped. The first line is a
// header holding a hash of everything that decides the results; a resume with other settings is
// refused. A last line cut short by a crash is ignored (and cut off before appending).

import { InputError } from '../sim/inputError.js';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';
import type { RunRecord } from './worker.js';

export const JOURNAL_FILE = 'journal.jsonl';
const FORMAT = 'ecosim-sweep-journal';
const FORMAT_VERSION = 1;

export interface JournalHeader {
  readonly format: typeof FORMAT;
  readonly formatVersion: typeof FORMAT_VERSION;
  /** sha256 of the canonical JSON of what decides the results (see experimentHash). */
  readonly hash: string;
  readonly runs: number;
}

/** A journal that cannot be used: written with other settings, or damaged. */
export class JournalError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'JournalError';
  }
}

/** JSON with object keys sorted at every level, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The hash a journal header carries: sha256 (hex) of the canonical JSON of `settings`. */
export function experimentHash(settings: unknown): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex');
}

/** Where a record's line lies in the journal file, to read it back (per-tick rows stay on disk). */
interface Extent {
  readonly offset: number;
  readonly length: number;
}

interface Parsed {
  readonly header: JournalHeader | undefined;
  readonly records: RunRecord[];
  readonly extents: Map<number, Extent>;
  /** Bytes up to the end of the last complete line. */
  readonly validBytes: number;
}

function isHeader(x: unknown): x is JournalHeader {
  const h = x as Partial<JournalHeader> | null;
  return h !== null && typeof h === 'object' && h.format === FORMAT && typeof h.hash === 'string' && typeof h.runs === 'number';
}

function isRecord(x: unknown, runs: number): x is RunRecord {
  const r = x as Partial<RunRecord> | null;
  return (
    r !== null && typeof r === 'object' && Number.isInteger(r.run) && r.run! >= 0 && r.run! < runs &&
    (r.status === 'ok' || r.status === 'failed') && typeof r.seed === 'number'
  );
}

function parseJournal(file: string, buffer: Buffer): Parsed {
  const records: RunRecord[] = [];
  const extents = new Map<number, Extent>();
  let header: JournalHeader | undefined;
  let start = 0;
  let line = 0;
  for (;;) {
    const end = buffer.indexOf(0x0a, start);
    if (end < 0) break; // no newline: a line the crash cut short, or nothing
    line++;
    const text = buffer.toString('utf8', start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JournalError(`${file}: line ${line} is not valid JSON; the journal is damaged (remove it to start the sweep afresh)`);
    }
    if (line === 1) {
      if (!isHeader(value)) throw new JournalError(`${file}: not a sweep journal (its first line is no journal header)`);
      header = value;
    } else {
      if (!isRecord(value, header!.runs)) throw new JournalError(`${file}: line ${line} is not a run record; the journal is damaged (remove it to start the sweep afresh)`);
      // A run recorded twice (it cannot happen, but costs nothing to allow) keeps its first record.
      if (!extents.has(value.run)) {
        records.push(value);
        extents.set(value.run, { offset: start, length: end - start });
      }
    }
    start = end + 1;
  }
  return { header, records, extents, validBytes: start };
}

/** Writes all of a text to a file opened for appending (a write may take only part of it). */
function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < buffer.length) {
    const n = fs.writeSync(fd, buffer, done, buffer.length - done);
    // A write that takes nothing would loop for ever: the device is full.
    if (!(n > 0)) throw Object.assign(new Error(`ENOSPC: no space left on device, appending to the sweep journal`), { code: 'ENOSPC' });
    done += n;
  }
}

function lineOf(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** A record without its per-tick rows: what is kept in memory while a sweep runs. */
function light(record: RunRecord): RunRecord {
  if (record.metrics === undefined) return record;
  const { metrics: _rows, ...rest } = record;
  return rest;
}

export interface OpenedJournal {
  readonly journal: Journal;
  /** The runs recorded by an earlier, interrupted sweep (without their per-tick rows). */
  readonly records: readonly RunRecord[];
}

/** An open journal file, appended to as runs finish. */
export class Journal {
  private fd: number | undefined;
  private size: number;

  private constructor(readonly file: string, fd: number, size: number, private readonly extents: Map<number, Extent>) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens `<dir>/journal.jsonl`. Without `resume`, an existing journal with runs in it is an error
   * (it holds the work of an interrupted sweep); with `resume`, its runs are read back, and a journal
   * from other settings is an error. The directory is created when missing.
   */
  static open(dir: string, header: JournalHeader, resume: boolean): OpenedJournal {
    const file = nodePath.join(dir, JOURNAL_FILE);
    fs.mkdirSync(dir, { recursive: true });
    let buffer: Buffer | undefined;
    try {
      buffer = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const parsed = buffer === undefined ? undefined : parseJournal(file, buffer);
    const earlier = parsed?.header === undefined ? undefined : parsed;
    if (earlier !== undefined && !resume && earlier.records.length > 0) {
      throw new JournalError(`${file} holds ${earlier.records.length} runs of an interrupted sweep: add --resume to continue it, or remove the file to start afresh`);
    }
    if (earlier !== undefined && resume && (earlier.header!.hash !== header.hash || earlier.header!.runs !== header.runs)) {
      throw new JournalError(
        `${file} is from a sweep with other settings (scenario, --set, parameters, design, replications, seed, --timeseries, --from, --record or --shard differ): ` +
          'resume with the command that started it, or remove the file (or choose another --out) to start afresh',
      );
    }
    const continuing = earlier !== undefined && resume;
    const fd = fs.openSync(file, 'a+');
    let size: number;
    if (continuing) {
      // Cut off a line a crash left half-written, so the next record starts on a line of its own.
      fs.ftruncateSync(fd, earlier.validBytes);
      size = earlier.validBytes;
    } else {
      fs.ftruncateSync(fd, 0);
      const text = lineOf(header);
      writeAll(fd, text);
      size = Buffer.byteLength(text);
    }
    fs.fsyncSync(fd);
    const journal = new Journal(file, fd, size, continuing ? earlier.extents : new Map());
    return { journal, records: continuing ? earlier.records.map(light) : [] };
  }

  /** Appends records (one line each) in one write, and flushes them to disk; returns them without per-tick rows. */
  append(records: readonly RunRecord[]): RunRecord[] {
    if (this.fd === undefined) throw new Error('journal is closed');
    let text = '';
    const lines: { run: number; offset: number; length: number }[] = [];
    let offset = this.size;
    for (const r of records) {
      const line = lineOf(r);
      const bytes = Buffer.byteLength(line);
      lines.push({ run: r.run, offset, length: bytes - 1 });
      offset += bytes;
      text += line;
    }
    writeAll(this.fd, text);
    fs.fsyncSync(this.fd);
    this.size = offset;
    for (const l of lines) if (!this.extents.has(l.run)) this.extents.set(l.run, { offset: l.offset, length: l.length });
    return records.map(light);
  }

  /** The full record of a run (with its per-tick rows), read back from the file. */
  read(run: number): RunRecord | undefined {
    const at = this.extents.get(run);
    if (at === undefined || this.fd === undefined) return undefined;
    const buffer = Buffer.alloc(at.length);
    fs.readSync(this.fd, buffer, 0, at.length, at.offset);
    return JSON.parse(buffer.toString('utf8')) as RunRecord;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closes and deletes the journal: its runs are all in the final outputs. */
  remove(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}
