// The package build's last step: the lab's browser bundles (its page and its Web Worker), made by
// esbuild from the compiled sources and written beside them in dist/viz/lab/assets/, so that the
// installed command needs no bundler (esbuild is a development dependency).
import * as esbuild from 'esbuild';
import { writeLabBundles } from '../dist/viz/lab/bundle.js';

for (const file of await writeLabBundles(esbuild)) console.log(`lab bundle: ${file.slice(process.cwd().length + 1)}`);
