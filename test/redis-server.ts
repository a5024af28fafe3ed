// A Redis of the tests' own: redis-server (Debian's package) on 127.0.0.1 at a free port, its data
// in a temporary directory (append-only file, so that a restart keeps the queue), stopped after.
// A machine without redis-server fails these tests, loudly: CI installs it (.ci/run).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './helpers.js';

const REDIS_SERVER = 'redis-server';

export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-redis-')));
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no'];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${REDIS_SERVER} did not start within 20 s: ${out}`)), 20_000);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start ${REDIS_SERVER} (install Debian's redis-server package): ${e.message}`));
      });
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${REDIS_SERVER} exited with ${code}: ${out}`));
      });
    });
  }

  /** Stops the server as a shutdown does (SIGTERM: the append-only file is complete). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops it and starts it again on the same port, with the same data. */
  async restart(pauseMs = 0): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
