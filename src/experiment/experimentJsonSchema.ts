// The JSON Schema of experiment files, for editors, as scenario.schema.json is for scenarios: point
// to it with the file's "$schema" key or a yaml-language-server comment.

import { z } from 'zod';
import { experimentFileSchema } from './experimentFile.js';

export const EXPERIMENT_SCHEMA_ID = 'experiment.schema.json';

export function experimentJsonSchema(): object {
  const { $schema, ...generated } = z.toJSONSchema(experimentFileSchema, { io: 'input' });
  return {
    $schema,
    $id: EXPERIMENT_SCHEMA_ID,
    title: 'ecosim experiment',
    description:
      'An experiment for ecosim: a sweep (params and a design) or a comparison (variants) of a scenario, with replications, seed, the metrics to record and a warm-up window. The key "experiment" (its name) marks the file.',
    ...generated,
  };
}
