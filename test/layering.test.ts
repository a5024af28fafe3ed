import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layers of DESIGN.md, checked on the import graph of src/: the engine (src/sim) imports no
// agent, experiment, chart or command; agents import no experiment; experiments reach the agents
// only through the library's simulate; and no file reaches itself through its imports.

const SRC = path.resolve(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import and re-export of a file (type-only ones too: they tie the layers as much). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found.map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => fs.existsSync(t))]));
const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
const layer = (f: string) => rel(f).split('/')[0]!;

function violations(from: string, forbidden: (target: string) => boolean): string[] {
  const out: string[] = [];
  for (const [f, targets] of graph) {
    if (!rel(f).startsWith(from)) continue;
    for (const t of targets) if (forbidden(t)) out.push(`${rel(f)} imports ${rel(t)}`);
  }
  return out;
}

describe('layers', () => {
  it('finds the imports it checks', () => {
    expect(graph.get(path.join(SRC, 'simulate.ts'))).toContain(path.join(SRC, 'sim', 'engine.ts'));
    expect(files.length).toBeGreaterThan(100);
  });

  it('the engine imports no agent, experiment, chart or command', () => {
    expect(violations('sim/', (t) => layer(t) !== 'sim')).toEqual([]);
  });

  it('agents import no experiment, chart or command', () => {
    expect(violations('agents/', (t) => !['sim', 'agents'].includes(layer(t)))).toEqual([]);
  });

  it('experiments know the agents only through simulate', () => {
    expect(violations('experiment/', (t) => ['agents', 'viz', 'cli', 'index.ts'].includes(layer(t)))).toEqual([]);
  });

  // The lab's Web Worker (lab/run.ts, lab/worker.ts) is where the browser runs the engine's bundle.
  const LAB_WORKER = ['viz/lab/run.ts', 'viz/lab/worker.ts'];

  it('charts, reports and the lab page import no agent, experiment runner or command', () => {
    const forbidden = (t: string) => ['agents', 'cli', 'simulate.ts', 'index.ts'].includes(layer(t));
    const found = violations('viz/', forbidden).filter((v) => !LAB_WORKER.some((w) => v.startsWith(`${w} `)));
    expect(found).toEqual([]);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
