import { escapeHtml } from '../escapeHtml.js';
import { VERSION } from '../../version.js';
import type { LabBundles } from './bundle.js';
import { LAB_CSS } from './style.js';

// The lab as one HTML document: the page's script, the worker's script (started from a Blob, so the
// file needs no server) and the scenario library inlined. No URL is fetched: it opens from a USB
// stick, and the server sends this same document.

export interface LabScenario {
  /** The name shown in the picker, e.g. "baseline". */
  readonly name: string;
  /** The file name, used in messages as `ecosim validate` uses it. */
  readonly file: string;
  readonly text: string;
}

export interface LabPage {
  readonly library: readonly LabScenario[];
  /** The scenario chosen when the page opens. */
  readonly initial: string;
}


/**
 * Script text safe inside a <script> element: "</script" and "<!--" would end or change the element.
 * The replacements mean the same in JavaScript ("<\/" is "</" in strings, regular expressions and comments).
 */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside a <script> element: no "<" at all, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function labHtml(page: LabPage, bundles: LabBundles): string {
  const speeds = [1, 2, 5, 10, 30, 60, 120, 250, 500].map((v) => `<option value="${v}"${v === 30 ? ' selected' : ''}>${v} ticks/s</option>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src blob: data:; connect-src 'none'">
<meta name="generator" content="ecosim ${escapeHtml(VERSION)}">
<title>ecosim lab</title>
<style>${LAB_CSS}</style>
</head>
<body>
<header>
  <h1>ecosim lab</h1>
  <div class="bar">
    <label for="scenario">scenario</label> <select id="scenario"><option value="">(your file)</option></select>
    <label for="file" class="file">open a file…</label><input id="file" type="file" accept=".yaml,.yml,.json">
    <label for="seed">seed</label> <input id="seed" type="number" min="0" max="4294967295" step="1">
    <button id="play" type="button">play</button>
    <button id="step" type="button">step</button>
    <button id="reset" type="button">reset</button>
    <label for="speed">speed</label> <select id="speed">${speeds}<option value="max">as fast as it goes</option></select>
    <span id="tick" class="status"></span> <span id="rate" class="status"></span>
  </div>
  <div id="message" role="alert"></div>
</header>
<main>
  <aside>
    <details id="setup" class="group" open></details>
    <h2>policies <select id="platform" aria-label="platform"></select></h2>
    <p class="hint">Applied at the next tick, and recorded.</p>
    <div id="policies"></div>
    <h2>timeline</h2>
    <p id="timeline-empty" class="hint">No change yet: move a slider.</p>
    <ol id="timeline"></ol>
    <h2>save</h2>
    <button id="save-scenario" type="button">save as scenario</button>
    <button id="save-csv" type="button">metrics CSV</button>
  </aside>
  <section>
    <div class="bar"><label for="metric">picked metric</label> <select id="metric"></select></div>
    <div id="charts"></div>
  </section>
</main>
<p class="drop">Drop a scenario file (YAML or JSON) anywhere on the page to open it.</p>
<script id="lab-data" type="application/json">${scriptJson(page)}</script>
<script id="lab-worker" type="text/plain">${scriptText(bundles.worker)}</script>
<script>${scriptText(bundles.page)}</script>
</body>
</html>
`;
}
