// The lab's server and command, on 127.0.0.1 only: it answers its page and nothing else (a path
// outside it, /../package.json included, is a 404), binds to loopback unless told otherwise, prints
// its address, stops on SIGTERM; --out writes the same page as one file. Every server here is
// stopped by the test that starts it, and each wait is bounded.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serveLab } from '../src/viz/lab/server.js';
import { freePort } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-lab-server-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A raw request: the path is sent exactly as given (no normalization of "/../"). */
function request(port: number, method: string, rawPath: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('the lab server', () => {
  it('serves its page, and a 404 for every other path', async () => {
    const server = await serveLab('<!DOCTYPE html><title>lab</title>', '127.0.0.1', 0);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
      for (const p of ['/', '/index.html', '/?x=1']) expect(await request(server.port, 'GET', p)).toMatchObject({ status: 200, body: '<!DOCTYPE html><title>lab</title>', type: 'text/html; charset=utf-8' });
      for (const p of ['/../package.json', '/..%2fpackage.json', '/package.json', '/src/cli/main.ts', '//etc/passwd', '/index.html/..', '/favicon.ico']) {
        expect(await request(server.port, 'GET', p), p).toMatchObject({ status: 404, body: 'not found\n' });
      }
      expect((await request(server.port, 'POST', '/')).status).toBe(405);
      expect(await request(server.port, 'HEAD', '/')).toMatchObject({ status: 200, body: '' });
    } finally {
      await server.close();
    }
  });

  it('rejects a port that is taken', async () => {
    const a = await serveLab('a', '127.0.0.1', 0);
    try {
      await expect(serveLab('b', '127.0.0.1', a.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await a.close();
    }
  });
});


describe('ecosim lab', () => {
  it('has help with examples', () => {
    const r = spawnSync(process.execPath, ['--import', TSX, MAIN, 'lab', '--help'], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Example:');
    expect(r.stdout).toContain('--out <file>');
    expect(r.stdout).toContain('127.0.0.1');
  });

  it('--out writes one self-contained page with the library and both bundles', () => {
    const out = path.join(tmp, 'lab.html');
    const r = spawnSync(process.execPath, ['--import', TSX, MAIN, 'lab', 'cold-start-subsidy', '--out', out], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    const html = fs.readFileSync(out, 'utf8');
    const data = JSON.parse(/<script id="lab-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { initial: string; library: { name: string }[] };
    expect(data.initial).toBe('cold-start-subsidy');
    expect(data.library.map((s) => s.name)).toContain('baseline');
    expect(html).toContain('<script id="lab-worker" type="text/plain">');
    // Nothing is loaded from elsewhere: no src or href attribute at all.
    expect(html).not.toMatch(/\s(src|href)=/);
  });

  it('refuses a bad scenario with the messages of ecosim validate, and writes nothing', () => {
    fs.writeFileSync(path.join(tmp, 'bad.yaml'), 'customers:\n  count: -3\n');
    const run = (cmd: string[]) => spawnSync(process.execPath, ['--import', TSX, MAIN, ...cmd], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    const lab = run(['lab', 'bad.yaml', '--out', 'bad.html']);
    const validate = run(['validate', 'bad.yaml']);
    expect(lab.status).toBe(2);
    expect(lab.stderr).toBe(validate.stderr);
    expect(lab.stderr).toContain('bad.yaml: customers.count: expected');
    expect(fs.existsSync(path.join(tmp, 'bad.html'))).toBe(false);
  });

  it('serves on 127.0.0.1, prints the address, answers, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'lab', '--port', String(port)], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = setTimeout(() => child.kill('SIGKILL'), 100_000);
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited (${code}) before serving: ${err}`)));
      });
      expect(out).toBe(`ecosim lab: http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`);
      expect(err).toBe('');
      const page = await request(port, 'GET', '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>ecosim lab</title>');
      expect((await request(port, 'GET', '/../package.json')).status).toBe(404);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(stop);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('warns when told to listen beyond this machine, and refuses a port in use', async () => {
    // The port is held on 127.0.0.1, so the lab cannot bind 0.0.0.0 on it (EADDRINUSE on Linux):
    // the warning and the refusal are seen without a server reachable from elsewhere.
    const taken = await serveLab('x', '127.0.0.1', 0);
    try {
      const r = spawnSync(process.execPath, ['--import', TSX, MAIN, 'lab', '--host', '0.0.0.0', '--port', String(taken.port)], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe(`warning: the lab listens on 0.0.0.0: anyone who can reach this machine on that network can use it\nport ${taken.port} is in use: choose another with --port\n`);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    } finally {
      await taken.close();
    }
  });
});
