import type { PolicyPatch } from '../../sim/scenario/schema.js';
import type { Intervention } from './run.js';

// The lab's state in the address's fragment, so that a lesson can be shared by link: the scenario
// of the library, the seed, the setup changed from the scenario's, and the interventions at their
// ticks. Opening the link replays the interventions when the run reaches their ticks.
// Form: scenario=baseline&seed=7&setup=customers.count:20000&changes=20:0:takeRate:0.3,40:0:ranking:promoted

export interface LabLink {
  readonly scenario: string;
  readonly seed?: number;
  readonly setup: Readonly<Record<string, number | string>>;
  readonly changes: readonly Intervention[];
}

const enc = encodeURIComponent;

function value(v: unknown): string {
  return v === null ? 'null' : String(v);
}

function parseValue(text: string): number | string | null {
  if (text === 'null') return null;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

export function fragmentText(link: LabLink): string {
  const parts = [`scenario=${enc(link.scenario)}`];
  if (link.seed !== undefined && Number.isFinite(link.seed)) parts.push(`seed=${link.seed}`);
  const setup = Object.entries(link.setup).map(([k, v]) => `${enc(k)}:${enc(String(v))}`);
  if (setup.length > 0) parts.push(`setup=${setup.join(',')}`);
  const changes = link.changes.flatMap((c) => Object.entries(c.set).map(([k, v]) => `${c.at}:${c.platform}:${enc(k)}:${enc(value(v))}`));
  if (changes.length > 0) parts.push(`changes=${changes.join(',')}`);
  return parts.join('&');
}

/** The link in a fragment, or undefined when it names no scenario; malformed parts are left out. */
export function parseFragment(text: string): LabLink | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const scenario = fields.get('scenario');
  if (scenario === undefined || scenario === '') return undefined;
  const seedText = fields.get('seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  const setup: Record<string, number | string> = {};
  for (const item of (fields.get('setup') ?? '').split(',')) {
    const [k, v] = item.split(':');
    if (k && v !== undefined) setup[decodeURIComponent(k)] = parseValue(decodeURIComponent(v)) ?? '';
  }
  const changes: Intervention[] = [];
  for (const item of (fields.get('changes') ?? '').split(',')) {
    const [at, platform, k, v] = item.split(':');
    if (at === undefined || platform === undefined || !k || v === undefined) continue;
    const tick = Number(at);
    const index = Number(platform);
    if (!Number.isInteger(tick) || tick < 0 || !Number.isInteger(index) || index < 0) continue;
    const set = { [decodeURIComponent(k)]: parseValue(decodeURIComponent(v)) } as PolicyPatch;
    // Changes of one tick and platform made together stay one intervention, as they were made.
    const last = changes[changes.length - 1];
    if (last && last.at === tick && last.platform === index && !(Object.keys(set)[0]! in last.set)) Object.assign(last.set, set);
    else changes.push({ at: tick, platform: index, set });
  }
  return { scenario: decodeURIComponent(scenario), ...(seed !== undefined && Number.isInteger(seed) ? { seed } : {}), setup, changes };
}
