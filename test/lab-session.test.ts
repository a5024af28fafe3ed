// A lab session, run as the lab's worker runs it (LabRun: a tick at a time, policy changes between
// ticks), saved as a scenario and replayed by the command line: `ecosim run` on the saved file gives
// the session's metrics.csv byte for byte. The changes move the numbers from their tick on, not before.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { metricsCsv } from '../src/sim/output/csv.js';
import { scenarioFromObject } from '../src/sim/scenario/load.js';
import { sessionScenario, sessionYaml } from '../src/viz/lab/record.js';
import { LabRun } from '../src/viz/lab/run.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-lab-session-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Two platforms, a scheduled change of its own and a house supply with room to move.
const RAW = {
  name: 'lab-session',
  ticks: 60,
  seed: 11,
  customers: { count: 1500 },
  partners: { count: 80 },
  platforms: [{ name: 'market', houseSupply: 2 }, { name: 'rival', launchTick: 5 }],
  schedule: [{ at: 30, platform: 'rival', set: { takeRate: 0.1 } }],
};

function playTo(run: LabRun, tick: number): void {
  while (run.tick < tick && !run.done) run.step();
}

function session(): LabRun {
  const run = new LabRun(scenarioFromObject(RAW));
  playTo(run, 20);
  run.intervene(0, { takeRate: 0.35 });
  playTo(run, 30);
  // At the tick of the scenario's own change: both apply, the scenario's first.
  run.intervene(1, { ranking: 'promoted', subsidyBudget: null, partnerSubsidy: 0.4 });
  playTo(run, 41);
  run.intervene(0, { houseSupply: 0, trust: 0.9 });
  playTo(run, Infinity);
  return run;
}

describe('a lab session', () => {
  it('changes the numbers from the tick of its first change on, and not before', () => {
    const changed = session().metrics;
    const plain = new LabRun(scenarioFromObject(RAW));
    playTo(plain, Infinity);
    const before = (rows: typeof changed, t: number) => rows.filter((r) => r.tick < t);
    expect(before(changed, 20)).toEqual(before(plain.metrics, 20));
    const at20 = (rows: typeof changed) => rows.filter((r) => r.tick === 20 && r.platform === 'market')[0]!;
    expect(at20(changed).takeRate).toBe(0.35);
    expect(at20(plain.metrics).takeRate).toBe(0.15);
    expect(metricsCsv(changed)).not.toBe(metricsCsv(plain.metrics));
  });

  it('is recorded as the scenario with its changes appended to the schedule', () => {
    const run = session();
    const saved = sessionScenario({ raw: RAW, interventions: run.interventions, source: 'test' });
    expect(saved.schedule).toEqual([
      { at: 30, platform: 'rival', set: { takeRate: 0.1 } },
      { at: 20, platform: 0, set: { takeRate: 0.35 } },
      { at: 30, platform: 1, set: { ranking: 'promoted', subsidyBudget: null, partnerSubsidy: 0.4 } },
      { at: 41, platform: 0, set: { houseSupply: 0, trust: 0.9 } },
    ]);
    // The caller's scenario data is left as it was.
    expect(RAW.schedule).toHaveLength(1);
    // The saved text parses back to the same data.
    expect(YAML.parse(sessionYaml({ raw: RAW, interventions: run.interventions, source: 'test' }))).toEqual(saved);
  });

  it('replayed by `ecosim run` gives the session\'s metrics.csv byte for byte', () => {
    const run = session();
    const file = path.join(tmp, 'session.yaml');
    fs.writeFileSync(file, sessionYaml({ raw: RAW, interventions: run.interventions, source: 'test' }));
    const out = path.join(tmp, 'replay');
    const r = spawnSync(process.execPath, ['--import', TSX, MAIN, 'run', file, '--out', out, '--quiet'], { cwd: tmp, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8')).toBe(metricsCsv(run.metrics));
  });

  it('makes the changes of a shared link at their ticks, as if made by hand', () => {
    const byHand = session();
    const linked = new LabRun(scenarioFromObject(RAW), byHand.interventions);
    playTo(linked, Infinity);
    expect(linked.interventions).toEqual(byHand.interventions);
    expect(metricsCsv(linked.metrics)).toBe(metricsCsv(byHand.metrics));
  });

  it('refuses a change after the end, for a platform that does not exist, or beyond the room for house partners', () => {
    const run = new LabRun(scenarioFromObject({ ...RAW, ticks: 3 }));
    expect(() => run.intervene(2, { takeRate: 0.2 })).toThrow(/no platform 2/);
    // More house supply than the room the scenario makes would part the run from its replay.
    expect(() => run.intervene(0, { houseSupply: 3 })).toThrow(/room for 2 house partners/);
    expect(run.intervene(0, { houseSupply: 1 }).set).toEqual({ houseSupply: 1 });
    playTo(run, Infinity);
    expect(() => run.intervene(0, { takeRate: 0.2 })).toThrow(/ended after 3 ticks/);
  });
});
