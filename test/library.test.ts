import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { starterScenario } from '../src/cli/init.js';
import { loadScenarioSync, scenarioFromObject } from '../src/sim/scenario/load.js';
import { scenarioJsonSchema } from '../src/sim/scenario/jsonSchema.js';
import { simulate } from '../src/simulate.js';

// The scenario library and the committed JSON Schema stay in step with the code.
const dir = path.join(import.meta.dirname, '..', 'scenarios');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('the scenario library', () => {
  it('holds the scenarios the README names', () => {
    for (const name of ['baseline', 'bass-diffusion', 'critical-mass', 'cold-start-no-subsidy', 'cold-start-subsidy', 'cold-start-house-supply', 'disintermediation', 'curation', 'subsidize-then-monetize', 'entrant-multihoming', 'supply-shock', 'platform-failure', 'ranking-and-promotion', 'pricing', 'trust-paradox', 'competition', 'crisis-response']) {
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

  it('every file names the test that checks the figures its comments quote', () => {
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const m = /test\/(scenarios-[a-z-]+\.test\.ts)/.exec(text);
      expect(m, `${f} names no test`).not.toBeNull();
      expect(fs.existsSync(path.join(import.meta.dirname, m![1]!)), `${f}: ${m![1]} missing`).toBe(true);
    }
  });

  it('ecosim init writes a starter scenario that validates and runs with the version 2 keys', () => {
    const s = scenarioFromObject(YAML.parse(starterScenario('starter')) as Record<string, unknown>);
    expect(s.effects.sameSide).toBe(0.05);
    expect(s.platforms[0]!.trust).toBe(0.5);
    expect(simulate({ ...s, ticks: 5 }).metrics.length).toBe(10);
  });
});

describe('the JSON Schema', () => {
  it('committed in schema/ is the one the code generates (npm run schema)', () => {
    const committed = fs.readFileSync(path.join(import.meta.dirname, '..', 'schema', 'scenario.schema.json'), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
