import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioSync } from '../src/sim/scenario/load.js';
import { scenarioJsonSchema } from '../src/sim/scenario/jsonSchema.js';
import { simulate } from '../src/simulate.js';

// The scenario library and the committed JSON Schema stay in step with the code.
const dir = path.join(import.meta.dirname, '..', 'scenarios');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('the scenario library', () => {
  it('holds the scenarios the README names', () => {
    for (const name of ['baseline', 'bass-diffusion', 'critical-mass', 'cold-start-no-subsidy', 'cold-start-subsidy', 'cold-start-house-supply', 'disintermediation', 'curation', 'subsidize-then-monetize', 'entrant-multihoming', 'supply-shock']) {
      expect(files).toContain(`${name}.yaml`);
    }
  });

  for (const f of files) {
    it(`${f} validates, is described, points editors at the schema, and runs`, () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
      // Short runs, but long enough for the windows of in-market experiments, which must lie inside the run.
      const windows = loadScenarioSync(path.join(dir, f)).experiments.map((e) => e.start + e.duration);
      const ticks = Math.max(20, ...windows);
      const s = loadScenarioSync(path.join(dir, f), [`ticks=${ticks}`]);
      expect(s.description.length).toBeGreaterThan(20);
      const r = simulate(s);
      expect(r.metrics.length).toBe(ticks * (s.platforms.length + 1));
    });
  }

  it('the cold-start trio shows what it claims', () => {
    const tipped = (f: string) => simulate(loadScenarioSync(path.join(dir, f))).summary.platforms[0]!.tippedAt;
    expect(tipped('cold-start-no-subsidy.yaml')).toBeNull();
    expect(tipped('cold-start-subsidy.yaml')).not.toBeNull();
    expect(tipped('cold-start-house-supply.yaml')).not.toBeNull();
  });
});

describe('the JSON Schema', () => {
  it('committed in schema/ is the one the code generates (npm run schema)', () => {
    const committed = fs.readFileSync(path.join(import.meta.dirname, '..', 'schema', 'scenario.schema.json'), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
