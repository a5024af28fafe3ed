import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { InputError } from '../inputError.js';
import { removeCreatedParents, tempFileName, writeNewFile } from './atomic.js';

// One process at a time writes an output directory: `<dir>.lock`, beside the directory (which may
// not exist yet, and is replaced whole when a result is written), names the process that holds it.
// The lock file appears with its content in one step (a hard link of a complete temporary file),
// so a reader never sees it empty. A lock whose process has gone (killed, a power cut) is taken
// over when that process was on this host; one from another host is reported for a person to judge.

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  /** ISO time the lock was taken: for the message only (nothing in the outputs holds a time). */
  readonly since: string;
}

/** The directory is being written by another process. */
export class DirLockedError extends InputError {
  constructor(readonly dir: string, readonly lockFile: string, readonly holder: LockHolder | undefined) {
    const who =
      holder === undefined
        ? 'another process (its lock file cannot be read)'
        : `"ecosim ${holder.command}" (process ${holder.pid} on ${holder.host}, since ${holder.since})`;
    super(`${dir}: in use by ${who}: wait for it to finish or stop it; if no such process is running, remove ${lockFile}`);
    this.name = 'DirLockedError';
  }
}

export function lockFileOf(dir: string): string {
  return `${nodePath.resolve(dir).replace(/[/\\]+$/, '')}.lock`;
}

interface Held {
  count: number;
  readonly file: string;
  /** The outermost parent directory made for the lock, removed on release when still empty. */
  readonly createdParent: string | undefined;
}

const held = new Map<string, Held>();

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.command === 'string' && typeof h.since === 'string') return h as LockHolder;
  } catch {
    // unreadable or half-removed: reported as an unknown holder
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file with its content, or returns false when it exists. */
function tryCreate(file: string, holder: LockHolder): boolean {
  const tmp = tempFileName(file);
  writeNewFile(tmp, `${JSON.stringify(holder)}\n`);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export interface DirLock {
  readonly file: string;
  /** Releases the lock (once per acquire); the last release removes the lock file. */
  release(): void;
}

/**
 * Takes the lock of output directory `dir` for `command` (such as "sweep"), or throws a
 * DirLockedError naming the process that holds it. A process may take the same lock again
 * (a run that writes its report); each acquire needs its release.
 */
export function lockOutputDir(dir: string, command: string): DirLock {
  const file = lockFileOf(dir);
  const release = () => {
    const h = held.get(file);
    if (h === undefined) return;
    if (--h.count > 0) return;
    held.delete(file);
    fs.rmSync(file, { force: true });
    if (h.createdParent !== undefined) removeCreatedParents(nodePath.dirname(file), h.createdParent);
  };
  const mine = held.get(file);
  if (mine !== undefined) {
    mine.count++;
    return { file, release: once(release) };
  }
  const createdParent = fs.mkdirSync(nodePath.dirname(file), { recursive: true });
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  try {
    for (let attempt = 0; ; attempt++) {
      if (tryCreate(file, holder)) break;
      const other = readHolder(file);
      const stale = other !== undefined && other.host === holder.host && !alive(other.pid);
      if (!stale || attempt > 0) throw new DirLockedError(dir, file, other);
      fs.rmSync(file, { force: true }); // its process is gone: take the lock over
    }
  } catch (e) {
    if (createdParent !== undefined) removeCreatedParents(nodePath.dirname(file), createdParent);
    throw e;
  }
  held.set(file, { count: 1, file, createdParent });
  return { file, release: once(release) };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) (done = true), fn();
  };
}

/** Runs `fn` holding the lock of `dir`. */
export async function withOutputLock<T>(dir: string, command: string, fn: () => T | Promise<T>): Promise<T> {
  const lock = lockOutputDir(dir, command);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Runs synchronous `fn` holding the lock of `dir`. */
export function withOutputLockSync<T>(dir: string, command: string, fn: () => T): T {
  const lock = lockOutputDir(dir, command);
  try {
    return fn();
  } finally {
    lock.release();
  }
}
