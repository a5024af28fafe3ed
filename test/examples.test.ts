// Every documented example is a test: the ```sh blocks of README.md, and the examples of the
// top-level help and of each command's help, run in order as a user types them, each list in its own
// temporary directory (with a copy of scenarios/, as in a clone). Runs are shrunk so that the suite
// stays fast: every command that simulates gets --ticks, a small population and few replications or
// samples appended (later options win), which changes how long an example takes, not whether it works;
// the warm-up (--from) is shrunk with the ticks, so that it stays inside the run.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers.js';
import { RedisServer } from './redis-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const COMMANDS = ['init', 'validate', 'scenarios', 'schema', 'run', 'sweep', 'merge', 'worker', 'compare', 'analyze', 'report', 'chart', 'lab'];

/** Lines of shell, with "\" continuations joined and comments dropped. */
export function shellLines(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The commands of the ```sh blocks of a Markdown text, in order. */
export function readmeExamples(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((m) => shellLines(m[1]!));
}

/** The "$ ecosim …" lines of a help text, in order. */
export function helpExamples(help: string): string[] {
  const joined = help.replace(/\\\n\s*/g, '');
  return [...joined.matchAll(/^\s*\$ (ecosim .*)$/gm)].map((m) => m[1]!.replace(/\s+#\s.*$/, '').trim());
}

const SHRINK: Readonly<Record<string, string>> = {
  run: '--ticks 12 --set customers.count=300 --set partners.count=30 --set network.type=meanfield --from 6',
  sweep: '--ticks 12 --set customers.count=300 --set partners.count=30 --set network.type=meanfield --replications 2 --workers 1 --from 6',
  compare: '--ticks 12 --set customers.count=300 --set partners.count=30 --set network.type=meanfield --replications 3 --workers 1 --from 6',
};

/** The example with every simulating command shrunk: options appended before any redirection or "&&". */
export function shrink(line: string): string {
  return line
    .split(/(\s*&&\s*|\s*>\s*\S+)/)
    .map((part) => {
      const m = /^ecosim (run|sweep|compare)\b/.exec(part.trim());
      if (m === null) return part;
      const out = part.replace(/--samples \d+/, () => (/--design (sobol|morris)/.test(part) ? '--samples 8' : '--samples 12')).replace(/--replications \d+/, '');
      return `${out} ${SHRINK[m[1]!]}`;
    })
    .join('');
}

let bin = '';
const dirs: string[] = [];
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-examples-bin-'));
  dirs.push(bin);
  fs.writeFileSync(path.join(bin, 'ecosim'), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${MAIN}" "$@"\n`, { mode: 0o755 });
});
afterAll(async () => {
  redisWorker?.kill('SIGKILL');
  await redis?.dispose();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function sh(line: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory holding a copy of the scenario library, as a clone has. */
function workdir(name: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `ecosim-examples-${name}-`));
  dirs.push(d);
  fs.cpSync(path.join(ROOT, 'scenarios'), path.join(d, 'scenarios'), { recursive: true });
  return d;
}

/** Whether an example starts a server (the lab, unless written to a file): it runs until stopped. */
export function serves(line: string): boolean {
  return /^ecosim lab\b/.test(line) && !/--out\b/.test(line) && !/--help\b/.test(line);
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

/**
 * A serving example, as a user would try it: started, its address read from what it prints, its page
 * fetched, then stopped. On a free port of 127.0.0.1 whatever the example says (tests listen on
 * this machine only), so that a port in use or a classroom address changes nothing here.
 */
async function serveExample(ex: string, cwd: string): Promise<void> {
  const port = await freePort();
  const line = `${ex.replace(/--host \S+/, '').replace(/--port \S+/, '')} --port ${port} --host 127.0.0.1`;
  const child = spawn('sh', ['-c', `exec ${line}`], { cwd, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${ex}: no address printed within 90 s; output: ${out}`)), 90_000);
      const read = (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m !== null) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => reject(new Error(`${ex}: exited with ${code} before serving; output: ${out}`)));
    });
    expect(url, ex).toBe(`http://127.0.0.1:${port}/`);
    expect(await getStatus(url), ex).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
}

/** Whether an example talks to a Redis (an `ecosim worker`, a sweep through one): it gets the tests' own. */
export function usesRedis(line: string): boolean {
  return /--redis\s/.test(line) && !/--help\b/.test(line);
}

// One redis-server on 127.0.0.1 for every example that names one, and one worker for their sweeps,
// started when the first such example comes.
let redis: RedisServer | undefined;
let redisWorker: ChildProcess | undefined;

/** Starts a process through sh and resolves once it prints `ready`. */
function startedUntil(line: string, cwd: string, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('sh', ['-c', `exec ${line}`], { cwd, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${line}: not ready within 90 s; output: ${out}`)), 90_000);
    const read = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`${line}: exited with ${code}; output: ${out}`)));
  });
}

/** The example with its Redis URL replaced by the tests' own (the password and database dropped). */
async function onTestRedis(ex: string): Promise<string> {
  redis ??= await RedisServer.start();
  return ex.replace(/--redis \S+/, `--redis ${redis.url}`);
}

/** A worker example: started, seen taking jobs, stopped with SIGTERM, which must end it cleanly. */
async function workerExample(ex: string, cwd: string): Promise<void> {
  const line = `${await onTestRedis(ex)} --workers 1`;
  const { child, output } = await startedUntil(line, cwd, /taking jobs from/);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect({ example: ex, code: await exited }, output()).toEqual({ example: ex, code: 0 });
}

/** A sweep through Redis, with a worker of the tests' running for it. */
async function redisSweepExample(ex: string, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const line = await onTestRedis(ex);
  redisWorker ??= (await startedUntil(`ecosim worker --redis ${redis!.url} --workers 1`, cwd, /taking jobs from/)).child;
  return sh(shrink(line), cwd);
}

async function runAll(examples: readonly string[], cwd: string): Promise<void> {
  expect(examples.length).toBeGreaterThan(0);
  for (const ex of examples) {
    if (serves(ex)) {
      await serveExample(ex, cwd);
      continue;
    }
    if (usesRedis(ex) && /^ecosim worker\b/.test(ex)) {
      await workerExample(ex, cwd);
      continue;
    }
    if (usesRedis(ex)) {
      const r = await redisSweepExample(ex, cwd);
      expect({ example: ex, status: r.status, stderr: r.stderr.slice(-800) }).toEqual({ example: ex, status: 0, stderr: expect.not.stringMatching(/\n\s+at /) });
      continue;
    }
    const r = sh(shrink(ex), cwd);
    expect({ example: ex, status: r.status, stderr: r.stderr.slice(-800) }).toEqual({ example: ex, status: 0, stderr: expect.not.stringMatching(/\n\s+at /) });
  }
}

describe('extraction', () => {
  it('joins continuations, drops comments, finds help examples', () => {
    expect(shellLines('a \\\n  b # note\n# only\nc')).toEqual(['a b', 'c']);
    expect(helpExamples('Example:\n  $ ecosim run x   # y\n  $ ecosim sweep a \\\n      b\n')).toEqual(['ecosim run x', 'ecosim sweep a b']);
    expect(shrink('ecosim run baseline --json > s.json')).toMatch(/^ecosim run baseline --json --ticks 12 .* > s\.json$/);
    expect(shrink('ecosim sweep b --design sobol --samples 256 --replications 10')).toMatch(/--samples 8 .*--replications 2/);
    expect(serves('ecosim lab')).toBe(true);
    expect(serves('ecosim lab x.yaml --out lab.html')).toBe(false);
    expect(usesRedis('ecosim worker --redis redis://h:6379')).toBe(true);
    expect(usesRedis('ecosim sweep b --param x=1,2 --redis redis://h:6379 --out o')).toBe(true);
    expect(usesRedis('ecosim worker --help')).toBe(false);
  });
});

describe('every example works as written', () => {
  it('README.md, in order (npm lines excepted: they are the suite itself)', async () => {
    const examples = readmeExamples(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).filter((l) => !l.startsWith('npm '));
    expect(examples.length).toBeGreaterThan(15);
    await runAll(examples, workdir('readme'));
  });

  // Each help in its own directory: a help's examples stand on their own, making what they read.
  for (const cmd of ['', ...COMMANDS]) {
    it(`the examples of "ecosim ${cmd === '' ? '' : `${cmd} `}--help", in order`, async () => {
      const cwd = workdir(cmd || 'main');
      const r = sh(`ecosim ${cmd} --help`, cwd);
      expect(r.status, `ecosim ${cmd} --help`).toBe(0);
      const found = helpExamples(r.stdout);
      expect(found.length, `examples in "ecosim ${cmd} --help"`).toBeGreaterThan(0);
      await runAll(found, cwd);
    });
  }
});
