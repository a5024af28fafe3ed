import fs from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError, suggest } from '../sim/scenario/errors.js';

// The bundled scenario library (scenarios/*.yaml at the package root), found relative to this
// module so that it works from src/cli (development) and dist/cli (the built package).

export const BUNDLED_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

function isScenarioFileName(name: string): boolean {
  return SCENARIO_EXTENSIONS.includes(nodePath.extname(name).toLowerCase());
}

/** Scenario file names in a directory, sorted; an empty list when the directory does not exist. */
export function scenarioFileNames(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries
    .filter((d) => (d.isFile() || d.isSymbolicLink()) && isScenarioFileName(d.name))
    .map((d) => d.name)
    .sort();
}

export interface ScenarioLocation {
  /** The path to read. */
  readonly path: string;
  /** How the file is named in the manifest: as given (relative), or scenarios/<file> when bundled. */
  readonly label: string;
  readonly bundled: boolean;
}

function looksLikePath(arg: string): boolean {
  return /[/\\]/.test(arg);
}

/** The stem used to name default outputs, e.g. "baseline" for "scenarios/baseline.yaml". */
export function scenarioStem(file: string): string {
  // Leading dots go ("..yaml" would name out/. itself, "...yaml" out/..); nothing left names it "scenario".
  return nodePath.basename(file, nodePath.extname(file)).replace(/^\.+/, '') || 'scenario';
}

function labelFor(arg: string): string {
  // No absolute paths in outputs: they would differ between machines and checkouts.
  return nodePath.isAbsolute(arg) ? nodePath.basename(arg) : arg.split(nodePath.sep).join('/');
}

/**
 * Where a scenario argument points: an existing path as given; otherwise a bundled scenario of that
 * name (with or without its extension), so that `ecosim run baseline` works. A name that is neither
 * is an error that suggests the closest bundled name.
 */
export function locateScenario(arg: string, bundledDir: string = BUNDLED_DIR): ScenarioLocation {
  if (fs.existsSync(arg) || looksLikePath(arg)) return { path: arg, label: labelFor(arg), bundled: false };
  const bundled = scenarioFileNames(bundledDir);
  const name = [arg, ...SCENARIO_EXTENSIONS.map((ext) => `${arg}${ext}`)].find((f) => bundled.includes(f));
  if (name !== undefined) return { path: nodePath.join(bundledDir, name), label: `scenarios/${name}`, bundled: true };
  const hint = suggest(scenarioStem(arg), bundled.map(scenarioStem));
  throw new ScenarioError(arg, [
    {
      path: '',
      expected: 'a readable scenario file, or the name of a bundled scenario (ecosim scenarios lists them)',
      found: 'no such file',
      ...(hint === undefined ? {} : { hint }),
    },
  ]);
}
