// Problems found while reading a scenario. They are collected rather than thrown one at a time, so a
// user sees everything wrong with a file at once, each pointing at a key path.

import { closest, distance } from 'fastest-levenshtein';

export interface ScenarioProblem {
  /** Dotted key path, e.g. "platforms.0.takeRate"; "" for the whole file. */
  path: string;
  /** What the key should hold, in plain words. */
  expected: string;
  /** What the key holds. */
  found: string;
  /** A likely intended key or name, shown as `did you mean "..."?`. */
  hint?: string;
}

export function formatProblem(file: string, p: ScenarioProblem): string {
  const where = p.path === '' ? '(top level)' : p.path;
  const hint = p.hint === undefined ? '' : ` (did you mean "${p.hint}"?)`;
  return `${file}: ${where}: expected ${p.expected}, found ${p.found}${hint}`;
}

const MAX_LISTED = 50;

export class ScenarioError extends Error {
  readonly file: string;
  readonly problems: ScenarioProblem[];

  constructor(file: string, problems: ScenarioProblem[]) {
    // Every problem is kept; the message lists the first MAX_LISTED (a file of 50,000 unknown keys needs no 50,000 lines).
    const listed = problems.slice(0, MAX_LISTED).map((p) => formatProblem(file, p));
    if (problems.length > MAX_LISTED) listed.push(`${file}: … and ${problems.length - MAX_LISTED} more problems`);
    super(listed.join('\n'));
    this.name = 'ScenarioError';
    this.file = file;
    this.problems = problems;
  }
}

export function isScenarioError(e: unknown): e is ScenarioError {
  return e instanceof ScenarioError;
}

const MAX_SHOWN = 60;

/** Shortens text to the 60 characters a one-line message can afford. */
export function shorten(text: string, max = MAX_SHOWN): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How a raw value reads in a problem's `found`: its type where that helps, and its JSON, shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string ${shorten(JSON.stringify(value))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list ${shorten(safeJson(value))}`;
  if (typeof value === 'object') return `a mapping ${shorten(safeJson(value))}`;
  return `a ${typeof value}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // cyclic objects from library users
  }
}

/** The candidate closest to a misspelt word, when it is close enough to be a likely intent. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  return distance(word, best) <= Math.max(2, word.length / 3) ? best : undefined;
}
