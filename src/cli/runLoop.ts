import { InterruptedError } from './errors.js';

// Ctrl-C for a running command: an AbortSignal that SIGINT or SIGTERM aborts (the library's
// `simulateAsync` gives the event loop the turns in which the signal arrives), and a progress line.

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `fn` with an AbortSignal that Ctrl-C (SIGINT) or SIGTERM aborts with an InterruptedError. A
 * second Ctrl-C while the first is being handled ends the process at once.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    const error = new InterruptedError(name === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    if (controller.signal.aborted) process.exit(error.exitCode);
    controller.abort(error);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/** A one-line "tick i/n" indicator on a terminal, redrawn at most every 100 ms, erased at the end. */
export class Progress {
  private last = -Infinity;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly label: string, private readonly enabled: boolean) {}

  readonly update = (done: number, total: number): void => {
    if (!this.enabled) return;
    const now = performance.now();
    if (done !== 1 && done !== total && now - this.last < 100) return;
    this.last = now;
    const width = String(total).length;
    this.stream.write(`\r${this.label}: tick ${String(done).padStart(width)}/${total}`);
    this.shown = true;
  };

  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
