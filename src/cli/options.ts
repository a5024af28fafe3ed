import fs from 'node:fs';
import nodePath from 'node:path';
import { InvalidArgumentError } from 'commander';
import { lockOutputDir, type DirLock } from '../sim/output/dirLock.js';
import { checkOutputOwnership } from '../sim/output/resultDir.js';
import { ScenarioError } from '../sim/scenario/errors.js';
import { CliError, EXIT_INTERNAL, EXIT_USAGE } from './errors.js';

// Option parsing shared by the commands.

/** Collects a repeatable option (`--set a=1 --set b=2`) into a list, in order. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const WHOLE = /^\s*[+-]?\d+\s*$/;

/** A parser of whole-number options, such as `--workers <n>`: a whole number >= `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\s*\+?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}.`);
    return n;
  };
}

/** Parses `--replication <n>`: a whole number >= 0. */
export const parseReplication = wholeNumber(0);

/**
 * Turns `--seed` and `--ticks` into `key=value` settings, applied after the `--set` ones. The text
 * must be a whole number; its range is checked with the scenario, so every message names the file
 * and the key.
 */
export function integerSettings(file: string, values: Readonly<Record<string, string | undefined>>): string[] {
  const settings: string[] = [];
  for (const [key, text] of Object.entries(values)) {
    if (text === undefined) continue;
    if (!WHOLE.test(text)) {
      throw new ScenarioError(file, [{ path: key, expected: `a whole number, such as --${key} 42`, found: `--${key} ${JSON.stringify(text)}` }]);
    }
    settings.push(`${key}=${Number(text.trim())}`);
  }
  return settings;
}

const USER_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it exists already',
};

/** A file-system error while writing `target`, worded for people (exit 2 when the path is to blame). */
export function writeError(target: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why = code === undefined ? undefined : USER_ERRORS[code];
  if (why === undefined) return e;
  return new CliError(`cannot write ${target}: ${why}`, code === 'ENOSPC' ? EXIT_INTERNAL : EXIT_USAGE);
}

/**
 * Checks, before a long run, that an output directory can be made where asked: the path and every
 * existing parent must be directories.
 */
export function checkOutputDir(dir: string, option = '--out'): void {
  let path = nodePath.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new CliError(`${option} ${dir}: cannot be used (${USER_ERRORS[code ?? ''] ?? String(e)})`);
    }
    if (stat !== undefined) {
      if (stat.isDirectory()) return;
      const which = path === nodePath.resolve(dir) ? dir : nodePath.relative(process.cwd(), path);
      throw new CliError(`${option} ${dir}: expected a directory to write into, found a file at ${which}`);
    }
    const up = nodePath.dirname(path);
    if (up === path) return;
    path = up;
  }
}

/**
 * Claims an output directory before a command does its work: the path must be usable, no other
 * process may be writing it (its lock is taken, to be released by the caller), and it must hold
 * nothing but an earlier ecosim result unless `force` is given.
 */
export function claimOutputDir(dir: string, command: string, force = false): DirLock {
  checkOutputDir(dir);
  const lock = lockOutputDir(dir, command);
  try {
    checkOutputOwnership(dir, force);
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}
