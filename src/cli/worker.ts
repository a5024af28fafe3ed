import type { Command } from 'commander';
import { defaultWorkers } from '../experiment/pool.js';
import { checkReachable, parseRedisUrl } from '../experiment/queue/connection.js';
import { QueueWorker, type QueueWorkerEvent } from '../experiment/queue/consumer.js';
import { VERSION } from '../version.js';
import { CliError, EXIT_USAGE } from './errors.js';
import { wholeNumber } from './options.js';

// ecosim worker --redis URL: takes the jobs of sweeps started with `ecosim sweep --redis URL`, on any
// machine, and runs them on its threads until stopped. Parsing and printing only; the work is the
// library's QueueWorker.

interface WorkerCliOptions {
  redis: string;
  workers?: number;
  quiet?: boolean;
  lockDuration: number;
  stalledInterval?: number;
}

const EXAMPLES = `
Example:
  $ ecosim worker --redis redis://10.0.0.5:6379                 # every core of this machine
  $ ecosim worker --redis redis://:secret@10.0.0.5:6379 --workers 4

Start one on each machine; then, on any of them, ecosim sweep ... --redis redis://10.0.0.5:6379 puts
the sweep's batches in the queue and writes its files as a local sweep would, identical byte for byte.
A batch whose worker dies (killed, its machine lost) is taken by another once its lock lapses
(--lock-duration); a batch run twice is recorded once. Jobs of a sweep started by another version of
ecosim are refused (results are identical only when one version runs every batch): the worker says
so and exits 2, leaving them in the queue.
Ctrl-C or SIGTERM stops it once the batches under way are done (a second Ctrl-C gives them back).

Exit codes: 0 stopped, 2 bad input (a --redis URL, Redis unreachable, jobs of another version).`;

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take the jobs of sweeps started with --redis, on this machine\'s threads, until stopped')
    .requiredOption('--redis <url>', 'the Redis of the sweeps: redis://[user:password@]host[:port][/db] (rediss:// for TLS)')
    .option('-w, --workers <n>', 'worker threads (default: the cores available)', wholeNumber(1))
    .option('--lock-duration <ms>', 'how long a job stays locked to a worker that stopped answering, before another takes it', wholeNumber(1000), 30_000)
    .option('--stalled-interval <ms>', 'how often this worker looks for jobs whose worker died (default: half the lock duration)', wholeNumber(500))
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText('after', EXAMPLES)
    .action((options: WorkerCliOptions) => workerCommand(options));
}

const short = (sweep: string) => sweep.slice(0, 12);

function describe(e: QueueWorkerEvent): string {
  switch (e.kind) {
    case 'started':
      return `sweep ${short(e.sweep)} batch ${e.batch}: runs ${e.first} to ${e.last} started`;
    case 'finished':
      return `sweep ${short(e.sweep)} batch ${e.batch}: ${e.runs} runs done in ${(e.ms / 1000).toFixed(1)} s${e.failed > 0 ? `, ${e.failed} failed` : ''}`;
    case 'error':
      return `redis: ${e.message} (reconnecting)`;
  }
}

async function workerCommand(options: WorkerCliOptions): Promise<void> {
  const target = parseRedisUrl(options.redis);
  await checkReachable(target);
  const threads = options.workers ?? defaultWorkers();
  const say = (line: string) => {
    if (!options.quiet) process.stdout.write(`${line}\n`);
  };
  // Listened to before any job is taken, and before the ready line: whoever waits for it may signal at once.
  let signals = 0;
  let stop: () => void = () => undefined;
  let giveBack: () => void = () => undefined;
  const stopped = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
  const again = new Promise<void>((resolve) => (giveBack = resolve));
  const onSignal = () => {
    signals++;
    if (signals === 1) {
      say('stopping once the batches under way are done (Ctrl-C again to give them back)');
      stop();
    } else giveBack();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const worker = await QueueWorker.start(target, {
    threads,
    lockDurationMs: options.lockDuration,
    stalledIntervalMs: options.stalledInterval,
    onEvent: (e) => (e.kind === 'error' ? process.stderr.write(`${describe(e)}\n`) : say(describe(e))),
  });
  say(`ecosim ${VERSION} worker ${worker.name}: ${threads} thread${threads === 1 ? '' : 's'}, taking jobs from ${target.label} (Ctrl-C to stop)`);

  const refusal = await Promise.race([stopped, worker.refused]);
  // A second signal while closing drops the batches under way: their locks lapse for another worker.
  await Promise.race([worker.close(false), again.then(() => worker.close(true))]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (refusal !== undefined) throw new CliError(refusal, EXIT_USAGE);
  say('stopped');
}
