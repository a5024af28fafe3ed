import { readFileSync } from 'node:fs';

// The package version, read from package.json beside src/ or dist/, for manifests and --version.
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
