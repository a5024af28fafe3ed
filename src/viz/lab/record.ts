import YAML from 'yaml';
import type { Intervention } from './run.js';

// A lab session as a scenario file: the scenario the run started from (setup and seed included)
// with the session's policy changes appended to its schedule at the ticks they applied to.
// `ecosim run` on the file gives the session's metrics again, row for row.

export interface SessionRecord {
  /** Raw scenario data the run was reset with (its setup and seed applied). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly interventions: readonly Intervention[];
  /** Where the scenario came from, for the file's first comment. */
  readonly source: string;
}

/** The session as raw scenario data: the scenario's own schedule first, then the session's changes. */
export function sessionScenario(record: SessionRecord): Record<string, unknown> {
  const raw = structuredClone(record.raw) as Record<string, unknown>;
  const own = Array.isArray(raw.schedule) ? (raw.schedule as unknown[]) : [];
  // Entries of one tick apply in file order; the live changes of a tick came after the scenario's own.
  raw.schedule = [...own, ...record.interventions.map((i) => ({ at: i.at, platform: i.platform, set: { ...i.set } }))];
  return raw;
}

/** The session as YAML text, with a comment saying what it is and how to run it. */
export function sessionYaml(record: SessionRecord): string {
  const n = record.interventions.length;
  const head = [
    `# Recorded in the ecosim lab from ${record.source}, with ${n} policy change${n === 1 ? '' : 's'} made during the session`,
    '# (the last entries of the schedule). Run it again with: ecosim run <this file>',
  ];
  return `${head.join('\n')}\n${YAML.stringify(sessionScenario(record), { lineWidth: 0 })}`;
}
