import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `ecosim run --threads N` as a user types it: the same files for every N.
const ROOT = path.join(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');

describe('ecosim run --threads', () => {
  it('writes byte-identical files with 1 and 2 threads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-threads-'));
    try {
      const run = (threads: number) => {
        const out = path.join(dir, `t${threads}`);
        const r = spawnSync(
          process.execPath,
          ['--import', 'tsx', CLI, 'run', 'baseline', '--quiet', '--ticks', '25', '--set', 'customers.count=30000', '--set', 'partners.count=1500', '--threads', String(threads), '--out', out],
          { cwd: ROOT, encoding: 'utf8' },
        );
        expect(r.status, r.stderr).toBe(0);
        return ['metrics.csv', 'summary.json'].map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
      };
      const [one, two] = [run(1), run(2)];
      expect(two[0]).toBe(one[0]);
      expect(two[1]).toBe(one[1]);
      expect(one[0]!.split('\n').length).toBe(25 * 2 + 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a thread count that is not a whole number >= 1', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'run', 'baseline', '--threads', '0'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expected a whole number >= 1');
  });
});
