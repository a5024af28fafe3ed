import { describe, expect, it } from 'vitest';
import { svgToPixels, svgToPng } from '../src/viz/png.js';
import { timeseriesChart } from '../src/viz/timeseries.js';

const data = { name: 'gmv', series: [{ label: 'gmv', points: Array.from({ length: 30 }, (_, i) => ({ x: i, y: i * i })) }] };

/** Dark pixels (all channels < 100) in the title band: the top 45 rows, middle half of the width. */
function darkInTitle(svg: string): number {
  const { width, pixels } = svgToPixels(svg);
  let dark = 0;
  for (let y = 0; y < 45; y++) {
    for (let x = Math.floor(width / 4); x < Math.floor((3 * width) / 4); x++) {
      const i = (y * width + x) * 4;
      if (pixels[i]! < 100 && pixels[i + 1]! < 100 && pixels[i + 2]! < 100) dark++;
    }
  }
  return dark;
}

describe('svgToPng', () => {
  it('writes a PNG of the requested size', () => {
    const svg = timeseriesChart(data, { width: 800, height: 400 });
    const t0 = performance.now();
    const png = svgToPng(svg);
    console.log(`PNG 800x400: ${(performance.now() - t0).toFixed(1)} ms, ${png.length} bytes`);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(String.fromCharCode(...png.slice(12, 16))).toBe('IHDR');
    expect(view.getUint32(16)).toBe(800);
    expect(view.getUint32(20)).toBe(400);
  });
  it('scales to a requested width', () => {
    const png = svgToPng(timeseriesChart(data), { width: 480 });
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(view.getUint32(16)).toBe(480);
    expect(view.getUint32(20)).toBe(270);
  });
  it('renders text: the title has dark pixels, and none without a title', () => {
    const withTitle = darkInTitle(timeseriesChart(data, { title: 'A chart with a title' }));
    const without = darkInTitle(timeseriesChart(data, { title: '' }));
    console.log(`dark pixels in the title band: ${withTitle} with a title, ${without} without`);
    expect(withTitle).toBeGreaterThan(100);
    expect(without).toBe(0);
  });
});
