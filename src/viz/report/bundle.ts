import fs from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';

// The report page's script: src/viz/report/page.ts and the chart modules it imports, bundled by
// esbuild into one script with no import and no URL. "npm run build" writes the bundle beside this
// module (page.bundle.js), so an installed ecosim needs no esbuild; from the sources (tests, "npm run
// ecosim") it is bundled on first use. Nothing is fetched either way.

const HERE = nodePath.dirname(fileURLToPath(import.meta.url));
export const BUNDLE_FILE = 'page.bundle.js';

let cache: string | undefined;

/** esbuild options for the page script; the build script passes the same on its command line. */
export const BUNDLE_OPTIONS = { bundle: true, format: 'iife', platform: 'browser', target: 'es2019', minify: true, legalComments: 'none' } as const;

/** The page script, safe inside a <script> element. */
export function pageScript(): string {
  if (cache === undefined) {
    const built = nodePath.join(HERE, BUNDLE_FILE);
    let code: string;
    if (fs.existsSync(built)) code = fs.readFileSync(built, 'utf8');
    else {
      const entry = nodePath.join(HERE, 'page.ts');
      const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
      const out = esbuild.buildSync({ ...BUNDLE_OPTIONS, entryPoints: [entry], write: false, logLevel: 'silent' });
      code = out.outputFiles[0]!.text;
    }
    // SVG's namespace name is an identifier, never fetched: written "http:\/\/…" (the same string)
    // so that the page holds no URL; and no "</script" can end the element early.
    cache = code.replaceAll('http://', 'http:\\/\\/').replace(/<\/(script)/gi, '<\\/$1');
  }
  return cache;
}
