import type { Command } from 'commander';
import { loadScenario } from '../sim/scenario/load.js';
import { jsonText } from '../sim/output/runOutputs.js';
import { locateInput, readInput } from './experimentInput.js';
import { validateExperiment } from './validateExperiment.js';
import { withScenarioFile } from './errors.js';
import { collect, integerSettings } from './options.js';

// ecosim validate <scenario>: checks a scenario file, reporting every problem at once.

interface ValidateOptions {
  set?: string[];
  seed?: string;
  ticks?: string;
  json?: boolean;
  quiet?: boolean;
}

const EXAMPLES = `
Example:
  $ ecosim init my-market.yaml
  $ ecosim validate my-market.yaml
  $ ecosim validate baseline --set platforms.0.takeRate=0.2
  $ ecosim validate baseline --json > resolved.json
  $ ecosim validate takerate-grid          # an experiment file: every check of its sweep, nothing run
  $ ecosim validate subsidy-compare --json # its resolved experiment`;

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a scenario (or experiment) file and report every problem in it')
    .argument('<scenario>', 'scenario or experiment file (YAML or JSON), or the name of a bundled one')
    .option('-s, --set <key=value>', 'override a scenario key before checking (repeatable)', collect)
    .option('--seed <n>', 'random seed (the same as --set seed=<n>)')
    .option('--ticks <n>', 'number of ticks (the same as --set ticks=<n>)')
    .option('--json', 'print the fully resolved scenario (every default filled in) as JSON')
    .option('-q, --quiet', 'print nothing but problems (the exit code says whether there are any)')
    .addHelpText('after', EXAMPLES)
    .action(async (arg: string, options: ValidateOptions) => {
      const location = locateInput(arg);
      const read = await readInput(location);
      if (read.kind === 'experiment') {
        const checked = await validateExperiment(location, read.experiment, options);
        if (options.json) process.stdout.write(jsonText(checked.record));
        else if (!options.quiet) process.stdout.write(`${checked.line}\n`);
        return;
      }
      const settings = [...(options.set ?? []), ...integerSettings(location.path, { seed: options.seed, ticks: options.ticks })];
      const s = await withScenarioFile(location.path, () => loadScenario(location.path, settings));
      if (options.json) {
        process.stdout.write(jsonText(s));
        return;
      }
      if (options.quiet) return;
      const shown = location.bundled ? location.label : arg;
      const parts = [plural(s.ticks, 'tick'), plural(s.customers.count, 'customer'), plural(s.partners.count, 'partner'), plural(s.platforms.length, 'platform')];
      process.stdout.write(`ok: ${shown} (${s.name}: ${parts.join(', ')})\n`);
    });
}
