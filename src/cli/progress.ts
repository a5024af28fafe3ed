// Progress of a sweep or a comparison on stderr: on a terminal, one line redrawn in place (runs done,
// failed, rate and time left); in a log (stderr not a terminal), a plain line at every tenth of the
// runs; nothing at all with --quiet.

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const REDRAW_MS = 100;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export class RunProgress {
  private readonly tty: boolean;
  private start: number | undefined;
  private startDone = 0;
  private lastDraw = -Infinity;
  private lastTenth = -1;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tty = stream.isTTY === true;
  }

  /** The text of a progress report; rate and time left count only the runs done since the first report. */
  line(done: number, total: number, failed: number, workers?: number): string {
    const parts = [`${this.label}: ${done}/${total} runs`];
    // A sweep through a queue: the worker processes taking its jobs.
    if (workers !== undefined) parts.push(`${workers} worker${workers === 1 ? '' : 's'}`);
    if (failed > 0) parts.push(`${failed} failed`);
    const seconds = this.start === undefined ? 0 : (this.now() - this.start) / 1000;
    const fresh = done - this.startDone;
    if (fresh > 0 && seconds > 0) {
      const rate = fresh / seconds;
      parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} runs/s`);
      if (done < total) parts.push(`${duration((total - done) / rate)} left`);
    }
    return parts.join(', ');
  }

  readonly update = (done: number, total: number, failed: number, workers?: number): void => {
    if (!this.enabled) return;
    if (this.start === undefined) {
      // The first report counts runs resumed from a journal: they take no time now.
      this.start = this.now();
      this.startDone = done;
    }
    if (this.tty) {
      const t = this.now();
      if (done !== total && t - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = t;
      this.stream.write(`\r${this.line(done, total, failed, workers)}\x1b[K`);
      this.shown = true;
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
    if (tenth <= this.lastTenth) return;
    this.lastTenth = tenth;
    this.stream.write(`${this.line(done, total, failed, workers)}\n`);
  };

  /** Erases the redrawn line, so what follows starts on a clean line. */
  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
