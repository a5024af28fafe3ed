import fs from 'node:fs';
import nodePath from 'node:path';
import type { Command } from 'commander';
import { loadScenarioSync, parseScenarioText } from '../sim/scenario/load.js';
import { isExperimentData } from '../experiment/experimentFile.js';
import { BUNDLED_DIR, scenarioFileNames } from './bundled.js';
import { CliError } from './errors.js';

// ecosim scenarios: lists the scenario library, one line each.

interface ScenariosOptions {
  dir?: string;
}

const EXAMPLES = `
Example:
  $ ecosim scenarios
  $ ecosim scenarios --dir scenarios/
  $ ecosim run baseline          # a bundled scenario, by name`;

/** The first sentence of a description, on one line. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s|$)/.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}

function describeFile(file: string): string {
  try {
    const s = loadScenarioSync(file);
    return s.description.trim() === '' ? '(no description)' : firstSentence(s.description);
  } catch {
    return isExperimentFile(file) ? '(an experiment file: run it with ecosim sweep or ecosim compare)' : `(not a valid scenario: see ecosim validate ${file})`;
  }
}

export function registerScenarios(program: Command): void {
  program
    .command('scenarios')
    .description('list the bundled scenario library (or the scenarios in a directory)')
    .option('-d, --dir <dir>', 'list this directory instead of the bundled library')
    .addHelpText('after', EXAMPLES)
    .action((options: ScenariosOptions) => {
      const dir = options.dir ?? BUNDLED_DIR;
      if (options.dir !== undefined && !isDirectory(dir)) throw new CliError(`--dir ${dir}: expected a directory of scenario files, found ${fs.existsSync(dir) ? 'a file' : 'nothing'}`);
      const names = scenarioFileNames(dir);
      if (names.length === 0) {
        process.stderr.write(`no scenario files (*.yaml, *.yml, *.json) in ${dir}\n`);
        return;
      }
      const width = Math.max(...names.map((n) => n.length));
      const lines = names.map((n) => `${n.padEnd(width)}  ${describeFile(nodePath.join(dir, n))}`.trimEnd());
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function isExperimentFile(file: string): boolean {
  try {
    return isExperimentData(parseScenarioText(fs.readFileSync(file, 'utf8'), file));
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
