// Reading a scenario: file → raw data (YAML or JSON, never evaluated) → `--set` overrides →
// validation against the schema → semantic checks → a fully resolved `Scenario`. Every problem is
// reported in plain words at its key path, all at once, as one ScenarioError. The checks are in
// resolve.ts, which imports no Node module (the lab runs them in the browser); this file adds the
// files and measures a run's memory against this machine's.

import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { ScenarioError } from './errors.js';
import { applySettings, assertMapping, parseScenarioText, resolveScenarioIn, scenarioFromObjectIn } from './resolve.js';
import type { Scenario } from './schema.js';

export { BYTES_PER_CUSTOMER, estimateMemoryBytes, parseScenarioText, problemsFromIssues } from './resolve.js';

/** Validates raw scenario data and resolves it; throws a ScenarioError listing every problem. */
export function resolveScenario(raw: unknown, file: string): Scenario {
  return resolveScenarioIn(raw, file, os.totalmem());
}

/** Reads a scenario file: a regular file only (a FIFO or a device would block or never end). */
async function readScenarioFile(file: string): Promise<string> {
  const st = await stat(file);
  if (!st.isFile() && !st.isDirectory()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
  return readFile(file, 'utf8');
}

function readScenarioFileSync(file: string): string {
  const st = statSync(file);
  if (!st.isFile() && !st.isDirectory()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
  return readFileSync(file, 'utf8');
}

function readError(file: string, e: unknown): ScenarioError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const found =
    code === 'ENOENT' ? 'no such file'
    : code === 'EISDIR' ? 'a directory'
    : code === 'EACCES' || code === 'EPERM' ? 'a file that cannot be read (permission denied)'
    : code === 'ENOTREG' ? 'a FIFO, socket or device, not a regular file'
    : e instanceof Error ? e.message : String(e);
  return new ScenarioError(file, [{ path: '', expected: 'a readable scenario file', found }]);
}

function fromText(text: string, file: string, settings: readonly string[]): Scenario {
  const raw = parseScenarioText(text, file);
  applySettings(raw, settings);
  return resolveScenario(raw, file);
}

/**
 * Raw scenario data, not yet resolved, from a file or from an object (copied: the caller's object
 * is never changed), with the `--set` overrides applied in order. What a sweep varies point by point.
 */
export async function readRawScenario(
  source: string | Readonly<Record<string, unknown>>,
  label: string,
  settings: readonly string[] = [],
): Promise<Record<string, unknown>> {
  let raw: unknown;
  if (typeof source === 'string') {
    let text: string;
    try {
      text = await readScenarioFile(source);
    } catch (e) {
      throw readError(label, e);
    }
    raw = parseScenarioText(text, label);
  } else {
    raw = structuredClone(source);
  }
  assertMapping(raw, label);
  applySettings(raw, settings);
  return raw;
}

/** Reads, overrides (`--set a.b=value`, in order) and resolves a scenario file. */
export async function loadScenario(file: string, settings: readonly string[] = []): Promise<Scenario> {
  return resolveScenario(await readRawScenario(file, file, settings), file);
}
export function loadScenarioSync(file: string, settings: readonly string[] = []): Scenario {
  let text: string;
  try {
    text = readScenarioFileSync(file);
  } catch (e) {
    throw readError(file, e);
  }
  return fromText(text, file, settings);
}

/** Resolves scenario data built in code; the caller's object is left untouched. */
export function scenarioFromObject(raw: unknown, settings: readonly string[] = [], label = '<object>'): Scenario {
  return scenarioFromObjectIn(raw, settings, label, os.totalmem());
}
