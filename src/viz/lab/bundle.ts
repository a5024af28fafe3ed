import fs from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';

// The lab's two browser bundles, the page and its Web Worker, made by esbuild from the same sources
// as the command line. The package build writes them beside this module (assets/, see
// scripts/build-lab.mjs); from a source checkout, where they are not built, they are bundled on
// first use (esbuild is a development dependency). The browser entries are TypeScript checked with
// the DOM's types and without Node's (src/viz/lab/tsconfig.json), and bundled from their sources:
// the compiled package holds their bundles only.

export interface LabBundles {
  readonly page: string;
  readonly worker: string;
}

const HERE = nodePath.dirname(fileURLToPath(import.meta.url));
export const ASSETS_DIR = nodePath.join(HERE, 'assets');
const ENTRIES = { page: 'page', worker: 'worker' } as const;

/** The esbuild options of both bundles: for the browser, so a Node import fails the build. */
export function bundleOptions(entry: string): Record<string, unknown> {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Sources import each other as ".js" (NodeNext); in a checkout the files are ".ts".
    resolveExtensions: ['.ts', '.js'],
  };
}

/** The sources of the browser entries: beside this module in a checkout, src/viz/lab from dist/viz/lab. */
function sourceDir(): string {
  if (fs.existsSync(nodePath.join(HERE, 'page.ts'))) return HERE;
  return nodePath.resolve(HERE, '..', '..', '..', 'src', 'viz', 'lab');
}

function entryFile(name: string): string {
  const file = nodePath.join(sourceDir(), `${name}.ts`);
  if (!fs.existsSync(file)) throw new Error(`the lab's source ${file} is missing: its bundles are built from a checkout (npm run build)`);
  return file;
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** Bundles one entry with esbuild; throws with esbuild's message when an import cannot be bundled for the browser. */
export async function bundleEntry(esbuild: Esbuild, entry: string): Promise<string> {
  const result = await esbuild.build(bundleOptions(entry));
  return result.outputFiles[0]!.text;
}

let cache: Promise<LabBundles> | undefined;

/** Both bundles: the built ones when present, otherwise bundled now. */
export function labBundles(): Promise<LabBundles> {
  cache ??= (async () => {
    const built = { page: nodePath.join(ASSETS_DIR, `${ENTRIES.page}.js`), worker: nodePath.join(ASSETS_DIR, `${ENTRIES.worker}.js`) };
    if (fs.existsSync(built.page) && fs.existsSync(built.worker)) {
      return { page: fs.readFileSync(built.page, 'utf8'), worker: fs.readFileSync(built.worker, 'utf8') };
    }
    let esbuild: Esbuild;
    try {
      esbuild = (await import('esbuild')) as unknown as Esbuild;
    } catch {
      throw new Error(`the lab's browser bundles are missing (${ASSETS_DIR}) and esbuild is not installed to make them: run npm run build`);
    }
    const [page, worker] = await Promise.all([bundleEntry(esbuild, entryFile(ENTRIES.page)), bundleEntry(esbuild, entryFile(ENTRIES.worker))]);
    return { page, worker };
  })();
  return cache;
}

/** Writes both bundles into assets/ beside the compiled module (the package build's step). */
export async function writeLabBundles(esbuild: Esbuild): Promise<string[]> {
  fs.mkdirSync(ASSETS_DIR, { recursive: true });
  const files: string[] = [];
  for (const name of Object.values(ENTRIES)) {
    const file = nodePath.join(ASSETS_DIR, `${name}.js`);
    fs.writeFileSync(file, await bundleEntry(esbuild, entryFile(name)));
    files.push(file);
  }
  return files;
}
