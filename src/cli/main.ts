#!/usr/bin/env node
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { reportError } from './errors.js';
import { registerAnalyze } from './analyze.js';
import { registerChart } from './chart.js';
import { registerCompare } from './compare.js';
import { registerInit } from './init.js';
import { registerLab } from './lab.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerScenarios } from './scenarios.js';
import { registerSchema } from './schema.js';
import { registerSweep } from './sweep.js';
import { registerValidate } from './validate.js';
import { registerWorker } from './worker.js';

// The ecosim command line. Thin by design (DESIGN.md, principle 1): each command parses its
// arguments, calls the library and prints; this file wires them up and turns errors into exit codes.

const EXAMPLES = `
Example:
  $ ecosim scenarios                       # the bundled scenario library
  $ ecosim run baseline                    # run one, write out/baseline/
  $ ecosim run baseline --seed 7 --set platforms.0.takeRate=0.2
  $ ecosim init my-market.yaml             # a commented starter scenario

Exit codes: 0 success, 1 internal error, 2 bad input (a scenario, an argument, an option or an output
directory), 3 some runs of a sweep or comparison failed (the others are written), 130 interrupted.`;

export function buildProgram(): Command {
  const program = new Command('ecosim')
    .description('Agent-based simulator of business ecosystems: platforms, partners and customers.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'show the stack of errors, for bug reports')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    })
    .addHelpText('after', EXAMPLES);
  // Subcommands are created with program.command(), so they inherit the settings above.
  registerRun(program);
  registerSweep(program);
  registerMerge(program);
  registerWorker(program);
  registerCompare(program);
  registerAnalyze(program);
  registerReport(program);
  registerLab(program);
  registerChart(program);
  registerValidate(program);
  registerScenarios(program);
  registerInit(program);
  registerSchema(program);
  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (e) {
    const debug = argv.includes('--debug') || program.opts<{ debug?: boolean }>().debug === true;
    return reportError(e, debug, (text) => process.stderr.write(text));
  }
}

// A closed pipe (ecosim schema | head) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv);
