import fs from 'node:fs';
import nodePath from 'node:path';
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../sim/scenario/jsonSchema.js';
import { experimentJsonSchema } from '../experiment/experimentJsonSchema.js';
import { writeFileAtomic } from '../sim/output/atomic.js';
import { jsonText } from '../sim/output/runOutputs.js';
import { writeError } from './options.js';

// ecosim schema: the JSON Schema of scenario files, for editors.

interface SchemaOptions {
  out?: string;
  experiment?: boolean;
}

const EXAMPLES = `
Example:
  $ ecosim schema --out scenario.schema.json
  $ ecosim schema > scenario.schema.json
  $ ecosim schema --experiment --out experiment.schema.json

Then start a scenario file with  $schema: ./scenario.schema.json  (an experiment file with
$schema: ./experiment.schema.json) for completion and checks as you type.`;

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print (or write) the JSON Schema of scenario files (or experiment files), for editor completion and checks')
    .option('-o, --out <file>', 'write the schema to this file instead of printing it')
    .option('--experiment', 'the schema of experiment files instead')
    .addHelpText('after', EXAMPLES)
    .action((options: SchemaOptions) => {
      const text = jsonText(options.experiment ? experimentJsonSchema() : scenarioJsonSchema());
      if (options.out === undefined) {
        process.stdout.write(text);
        return;
      }
      try {
        fs.mkdirSync(nodePath.dirname(nodePath.resolve(options.out)), { recursive: true });
        writeFileAtomic(options.out, text);
      } catch (e) {
        throw writeError(options.out, e);
      }
      process.stdout.write(`wrote ${options.out}\n`);
    });
}
