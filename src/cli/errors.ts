import { InputError } from '../sim/inputError.js';
import { CommanderError } from 'commander';
import { isScenarioError, type ScenarioError } from '../sim/scenario/errors.js';

// How the command line reports errors (DESIGN.md, principle 7): one clear message on stderr,
// exit code 2 for bad input (a scenario, an argument, an option), 1 for internal errors, and the
// stack only with --debug.

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
/** The conventional exit code after Ctrl-C (128 + SIGINT); SIGTERM gives 143. */
export const EXIT_INTERRUPTED = 130;

/** An error the user can fix, with a message already worded for them. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}

/** Raised when Ctrl-C stops a command; nothing was written. */
export class InterruptedError extends CliError {
  constructor(signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    super(`interrupted by ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: no output written`, signal === 'SIGINT' ? EXIT_INTERRUPTED : 128 + 15);
    this.name = 'InterruptedError';
  }
}

/** The source label the library gives problems found in `--set` arguments. */
const SET_SOURCE = '--set';

/**
 * A scenario error worded for the command line. Problems in `--set` arguments are reported against
 * the scenario file they were applied to, so every message names the file.
 */
export function scenarioErrorText(e: ScenarioError, scenarioFile?: string): string {
  if (e.file !== SET_SOURCE || scenarioFile === undefined) return e.message;
  return e.problems
    .map((p) => {
      const where = p.path === '' ? SET_SOURCE : `${SET_SOURCE} ${p.path}`;
      const hint = p.hint === undefined ? '' : ` (did you mean "${p.hint}"?)`;
      return `${scenarioFile}: ${where}: expected ${p.expected}, found ${p.found}${hint}`;
    })
    .join('\n');
}

/** Runs a step that reads a scenario, so that its errors name `scenarioFile` (see scenarioErrorText). */
export async function withScenarioFile<T>(scenarioFile: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isScenarioError(e) && e.file === SET_SOURCE) throw new CliError(scenarioErrorText(e, scenarioFile), EXIT_USAGE);
    throw e;
  }
}

/** The frames of an error's stack (its message is printed already). */
function stackOf(e: unknown): string {
  if (!(e instanceof Error) || e.stack === undefined) return '(no stack)';
  const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : e.stack;
}

/** The exit code for an error, after writing its message to stderr. */
export function reportError(e: unknown, debug: boolean, write: (text: string) => void): number {
  if (e instanceof CommanderError) {
    // Commander has written its own message (or the help text) already.
    return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  const withStack = (text: string) => (debug ? `${text}\n${stackOf(e)}` : text);
  if (isScenarioError(e)) {
    write(`${withStack(e.message)}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof CliError) {
    write(`${withStack(e.message)}\n`);
    return e.exitCode;
  }
  if (e instanceof InputError) {
    write(`${withStack(e.message)}\n`);
    return EXIT_USAGE;
  }
  const message = e instanceof Error ? e.message : String(e);
  const more = debug ? `\n${stackOf(e)}` : '\n(run again with --debug to see where it happened)';
  write(`ecosim: internal error: ${message}\nThis is a bug in ecosim; please report it with the command you ran.${more}\n`);
  return EXIT_INTERNAL;
}
