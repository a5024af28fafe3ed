// The lab's browser bundles: the worker (the engine) and the page build for the browser platform
// with no Node import: nothing of node:*, no thread code, no file reads. esbuild fails a browser
// build that reaches a Node built-in, and the inputs are checked by name as well. A control case
// shows the check fails when a Node import is reached (the scenario loader's file reads).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOptions } from '../src/viz/lab/bundle.js';

const LAB = fileURLToPath(new URL('../src/viz/lab/', import.meta.url));
const NODE_ONLY = [/agents[/\\]threads\.ts$/, /agents[/\\]shardWorker\.ts$/, /sim[/\\]scenario[/\\]load\.ts$/, /sim[/\\]output[/\\](atomic|dirLock|resultDir|resultManifest)\.ts$/, /cli[/\\]/, /piscina/, /^node:/];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-lab-bundle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The inputs of a browser build of `entry`, or the build's error messages. */
async function browserBuild(entry: string): Promise<{ inputs: string[]; text: string } | { errors: string[] }> {
  try {
    const r = await esbuild.build(bundleOptions(entry) as unknown as esbuild.BuildOptions & { write: false; metafile: true });
    return { inputs: Object.keys(r.metafile.inputs), text: r.outputFiles[0]!.text };
  } catch (e) {
    return { errors: ((e as esbuild.BuildFailure).errors ?? []).map((x) => x.text) };
  }
}

describe('the lab bundles for the browser', () => {
  for (const name of ['worker', 'page']) {
    it(`${name}: builds for the browser platform, reaching no Node-only module`, async () => {
      const r = await browserBuild(path.join(LAB, `${name}.ts`));
      expect('errors' in r ? r.errors : []).toEqual([]);
      if ('errors' in r) return;
      const nodeOnly = r.inputs.filter((f) => NODE_ONLY.some((re) => re.test(f)));
      expect(nodeOnly).toEqual([]);
      expect(r.text).not.toMatch(/require\(["']node:/);
    });
  }

  it('the worker holds the engine and the model; the page holds the chart functions and the scenario checks', async () => {
    const worker = await browserBuild(path.join(LAB, 'worker.ts'));
    const page = await browserBuild(path.join(LAB, 'page.ts'));
    if ('errors' in worker || 'errors' in page) throw new Error('build failed');
    const has = (inputs: string[], file: string) => inputs.some((f) => f.replace(/\\/g, '/').endsWith(file));
    for (const f of ['sim/engine.ts', 'agents/ecosystem.ts', 'agents/orchestrator.ts', 'sim/scenario/resolve.ts']) expect(has(worker.inputs, f), f).toBe(true);
    for (const f of ['viz/timeseries.ts', 'viz/adoption.ts', 'sim/scenario/resolve.ts', 'sim/output/csv.ts']) expect(has(page.inputs, f), f).toBe(true);
  });

  it('fails on an entry that reaches a Node import (the control case)', async () => {
    const entry = path.join(tmp, 'reaches-node.ts');
    fs.writeFileSync(entry, `import { loadScenarioSync } from ${JSON.stringify(fileURLToPath(new URL('../src/sim/scenario/load.ts', import.meta.url)))};\nconsole.log(loadScenarioSync);\n`);
    const r = await browserBuild(entry);
    expect('errors' in r).toBe(true);
    if ('errors' in r) expect(r.errors.join('\n')).toMatch(/node:fs|node:os/);
  });
});
