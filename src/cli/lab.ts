import fs from 'node:fs';
import nodePath from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { writeFileAtomic } from '../sim/output/atomic.js';
import { loadScenario } from '../sim/scenario/load.js';
import { labBundles } from '../viz/lab/bundle.js';
import { labHtml, type LabScenario } from '../viz/lab/html.js';
import { serveLab } from '../viz/lab/server.js';
import { BUNDLED_DIR, locateScenario, scenarioFileNames, scenarioStem } from './bundled.js';
import { CliError, EXIT_USAGE } from './errors.js';
import { writeError } from './options.js';

// ecosim lab [scenario]: the live lab, served on this machine or written as one HTML file.

interface LabOptions {
  port: number;
  host: string;
  out?: string;
  quiet?: boolean;
}

export const LAB_PORT = 8321;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const EXAMPLES = `
Example:
  $ ecosim lab                              # http://127.0.0.1:${LAB_PORT}/ with the baseline scenario
  $ ecosim lab cold-start-subsidy --port 8400
  $ ecosim init my-market.yaml                # a scenario of your own to start from
  $ ecosim lab my-market.yaml --out lab.html  # one file to hand out: opens offline, from a USB stick
  $ ecosim lab --host 0.0.0.0               # for a classroom network (anyone on it can use the lab)

The simulation runs in the browser (a Web Worker), with the same engine as "ecosim run". Play, pause,
step, reset; move a policy slider and it applies at the next tick; "save as scenario" downloads the
session as a scenario file whose schedule holds your changes: "ecosim run" on it gives the same metrics.`;

function port(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n > 65535) throw new InvalidArgumentError('expected a port number between 0 and 65535.');
  return n;
}

export function registerLab(program: Command): void {
  program
    .command('lab')
    .description('open the live lab: the simulation in the browser, with sliders and live charts')
    .argument('[scenario]', 'scenario file (YAML or JSON), or the name of a bundled scenario, chosen when the lab opens')
    .option('-p, --port <n>', 'port to listen on', port, LAB_PORT)
    .option('--host <address>', 'address to listen on; other than 127.0.0.1, anyone on that network can use the lab', '127.0.0.1')
    .option('-o, --out <file>', 'write the lab as one self-contained HTML file instead of serving it')
    .option('-q, --quiet', 'print nothing but errors and warnings')
    .addHelpText('after', EXAMPLES)
    .action((scenario: string | undefined, options: LabOptions) => lab(scenario, options));
}

/** The bundled library, with the user's scenario (checked as `ecosim validate` checks it) added when it is not one of them. */
export async function labLibrary(arg: string | undefined): Promise<{ library: LabScenario[]; initial: string }> {
  const library: LabScenario[] = scenarioFileNames(BUNDLED_DIR).map((f) => ({ name: scenarioStem(f), file: `scenarios/${f}`, text: fs.readFileSync(nodePath.join(BUNDLED_DIR, f), 'utf8') }));
  const fallback = library.find((s) => s.name === 'baseline')?.name ?? library[0]?.name ?? '';
  if (arg === undefined) return { library, initial: fallback };
  const location = locateScenario(arg);
  await loadScenario(location.path);
  if (location.bundled) return { library, initial: scenarioStem(location.path) };
  const own: LabScenario = { name: `${scenarioStem(location.path)} (${location.label})`, file: location.label, text: fs.readFileSync(location.path, 'utf8') };
  return { library: [own, ...library], initial: own.name };
}

async function lab(arg: string | undefined, options: LabOptions): Promise<void> {
  const page = await labLibrary(arg);
  const html = labHtml(page, await labBundles());
  if (options.out !== undefined) {
    try {
      writeFileAtomic(options.out, html);
    } catch (e) {
      throw writeError(options.out, e);
    }
    if (!options.quiet) process.stdout.write(`${options.out}\n`);
    return;
  }
  if (!LOOPBACK.has(options.host)) {
    process.stderr.write(`warning: the lab listens on ${options.host}: anyone who can reach this machine on that network can use it\n`);
  }
  let server;
  try {
    server = await serveLab(html, options.host, options.port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${options.port} is in use: choose another with --port`, EXIT_USAGE);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on ${options.host}: no such address on this machine`, EXIT_USAGE);
    if (code === 'EACCES') throw new CliError(`cannot listen on port ${options.port}: permission denied (ports below 1024 need privileges)`, EXIT_USAGE);
    throw e;
  }
  if (!options.quiet) process.stdout.write(`ecosim lab: ${server.url} (Ctrl-C to stop)\n`);
  // The lab runs until Ctrl-C or SIGTERM: stopping a server is how it ends, not an interruption.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}
