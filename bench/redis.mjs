// `npm run bench -- --only redis`: a sweep through Redis against the same sweep on the local pool.
// 1 500 small runs (the sweep part's scenario: 2 000 customers x 52 ticks, 6 points x 250
// replications) through a redis-server of the bench's own with two `ecosim worker` processes of one
// thread each, against `ecosim sweep --workers 2` on this machine; runs per second of each (the
// whole command, as a user times it: start, plan, runs, files) and their ratio (target at least
// 0.9). Workers are started afresh for every measurement, so their threads start as cold as the
// local pool's; the fastest of `repeat` of each is reported. Without redis-server it says so.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SCENARIO = { name: 'bench-redis', ticks: 52, customers: { count: 2000 }, partners: { count: 100 }, network: { type: 'meanfield' } };
const SWEEP = ['--param', 'platforms.0.takeRate=0.05:0.3:0.05', '--replications', '250', '-q'];
const RUNS = 1500;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once it has printed `ready` (a pattern), with it. */
function started(command, args, ready) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} did not start: ${out}`)), 60_000);
    const read = (d) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve(child);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${out}`)));
  });
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/** Seconds of one `ecosim sweep` with the extra options. */
function timedSweep(dir, out, extra) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [MAIN, 'sweep', path.join(dir, 'scenario.json'), ...SWEEP, '--out', path.join(dir, out), ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ecosim sweep ${extra.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

export async function benchRedis({ repeat, report }) {
  console.log('');
  if (spawnSync('redis-server', ['--version']).error) {
    console.log('sweep through Redis: skipped, redis-server is not installed (Debian: apt-get install redis-server)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-bench-redis-'));
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(SCENARIO));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = await started('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], /Ready to accept connections/);
  try {
    let local = Infinity;
    let queued = Infinity;
    for (let rep = 0; rep < repeat; rep++) {
      local = Math.min(local, timedSweep(dir, `local${rep}`, ['--workers', '2']));
      const workers = await Promise.all([0, 1].map(() => started(process.execPath, [MAIN, 'worker', '--redis', url, '--workers', '1'], /taking jobs from/)));
      try {
        queued = Math.min(queued, timedSweep(dir, `redis${rep}`, ['--redis', url]));
      } finally {
        await Promise.all(workers.map(stop));
      }
      for (const f of ['runs.csv', 'points.csv', 'manifest.json']) {
        if (fs.readFileSync(path.join(dir, `local${rep}`, f), 'utf8') !== fs.readFileSync(path.join(dir, `redis${rep}`, f), 'utf8')) throw new Error(`${f} differs between the local sweep and the sweep through Redis`);
      }
    }
    const localRate = RUNS / local;
    const queuedRate = RUNS / queued;
    console.log(
      `sweep of ${RUNS} runs (2 000 customers x 52 ticks) through Redis with 2 ecosim workers of 1 thread: ${queuedRate.toFixed(1)} runs/s; ` +
        `on the local pool with 2 workers: ${localRate.toFixed(1)} runs/s: ratio ${(queuedRate / localRate).toFixed(2)} (target at least 0.9); identical files`,
    );
    if (report !== undefined) report.redis = { runs: RUNS, localSeconds: local, redisSeconds: queued, localRate, redisRate: queuedRate, ratio: queuedRate / localRate };
  } finally {
    await stop(redis);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--repeat');
  await benchRedis({ repeat: i > 0 ? Number(process.argv[i + 1]) : 3 });
}
