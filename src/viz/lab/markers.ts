import { escapeXml, num, THEME, type Frame } from '../theme.js';

// Interventions drawn on a chart that the chart functions have already drawn: a labelled vertical
// line at each intervention's tick. `withMarkers` reads the plot area back from the SVG, from the x
// axis (its domain line spans the plot's width at its bottom) and the y axis (its domain line spans
// the plot's height), the caller giving the x domain; `markerSvg` draws them from a plot's frame
// (`timeseriesPlot`, `adoptionPlot`), as the lab's page does on a chart it grows.

export interface Marker {
  readonly tick: number;
  readonly label: string;
}

const MARKER_COLOR = '#7a0177';

function attr(tag: string, name: string): number | undefined {
  const m = new RegExp(`\\s${name}="(-?[\\d.]+)"`).exec(tag);
  return m ? Number(m[1]) : undefined;
}

/** The domain line of the first axis of that class ("x" or "y"), as its attributes. */
function domainLine(svg: string, axis: 'x' | 'y'): string | undefined {
  const start = svg.indexOf(`<g class="axis ${axis}`);
  if (start < 0) return undefined;
  const end = svg.indexOf('</g>', start);
  const group = svg.slice(start, end < 0 ? undefined : end);
  return /<line class="domain"[^>]*>/.exec(group)?.[0];
}

/** The SVG with a marker line and label for each intervention within the x domain [lo, hi]. */
export function withMarkers(svg: string, markers: readonly Marker[], domain: readonly [number, number]): string {
  if (markers.length === 0) return svg;
  const xl = domainLine(svg, 'x');
  const yl = domainLine(svg, 'y');
  if (xl === undefined || yl === undefined) return svg;
  const left = attr(xl, 'x1');
  const right = attr(xl, 'x2');
  const bottom = attr(xl, 'y1');
  const top = attr(yl, 'y1');
  if (left === undefined || right === undefined || bottom === undefined || top === undefined) return svg;
  const close = svg.lastIndexOf('</svg>');
  return close < 0 ? svg : `${svg.slice(0, close)}${markerSvg(markers, { left, right, top, bottom }, domain)}${svg.slice(close)}`;
}

/** The markers' elements (a group each) for a plot of that frame and x domain [lo, hi]. */
export function markerSvg(markers: readonly Marker[], frame: Pick<Frame, 'left' | 'right' | 'top' | 'bottom'>, domain: readonly [number, number]): string {
  const { left, right, top, bottom } = frame;
  const [lo, hi] = domain;
  const parts: string[] = [];
  // Labels of markers close together step down, so that they do not print over one another.
  let lastX = -Infinity;
  let row = 0;
  markers.forEach((m, i) => {
    if (m.tick < lo || m.tick > hi || hi <= lo) return;
    const x = left + ((m.tick - lo) / (hi - lo)) * (right - left);
    row = x - lastX < 120 ? (row + 1) % 4 : 0;
    lastX = x;
    const y = top + 14 + row * 16;
    parts.push(
      `<g class="marker" data-tick="${m.tick}"><line x1="${num(x)}" x2="${num(x)}" y1="${num(top)}" y2="${num(bottom)}" stroke="${MARKER_COLOR}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
        `<text x="${num(x + 4)}" y="${num(y)}" font-size="${THEME.tickSize - 2}" fill="${MARKER_COLOR}">${escapeXml(`${i + 1}. ${m.label}`)}</text></g>`,
    );
  });
  return parts.join('');
}
