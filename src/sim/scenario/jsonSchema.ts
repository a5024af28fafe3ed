// The JSON Schema of scenario files, for editors: with it, a scenario file gets completion,
// descriptions on hover and checks as it is typed (point to it with the file's "$schema" key).

import { z } from 'zod';
import { scenarioSchema } from './schema.js';

export const SCENARIO_SCHEMA_ID = 'scenario.schema.json';

export function scenarioJsonSchema(): object {
  // io: 'input' describes what a file may say (defaults make keys optional), not the resolved result.
  const { $schema, ...generated } = z.toJSONSchema(scenarioSchema, { io: 'input' });
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'ecosim scenario',
    description: 'A scenario for ecosim, the agent-based simulator of business ecosystems. Every key is optional and falls back to its default.',
    ...generated,
  };
}
