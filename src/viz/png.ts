import fs from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

// SVG to PNG with resvg (no browser, no DOM). Text needs a font: DejaVu Sans is the default and
// sans-serif family, loaded from its file when present, or text falls back to a serif face or vanishes.

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF', '/Library/Fonts', 'C:\\Windows\\Fonts'];
const FONT_NAMES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let fontFiles: string[] | undefined;

/** The DejaVu Sans font files found on this machine (regular and bold), cached. */
export function dejaVuFontFiles(): string[] {
  if (fontFiles === undefined) {
    fontFiles = [];
    for (const dir of FONT_DIRS) {
      for (const name of FONT_NAMES) {
        const file = `${dir}/${name}`;
        if (fs.existsSync(file)) fontFiles.push(file);
      }
      if (fontFiles.length > 0) break;
    }
  }
  return fontFiles;
}

export interface PngOptions {
  /** Width of the image in pixels; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  readonly width?: number;
}

function renderOptions(options: PngOptions): ResvgRenderOptions {
  return {
    background: '#ffffff',
    fitTo: options.width === undefined ? { mode: 'original' } : { mode: 'width', value: Math.round(options.width) },
    font: { loadSystemFonts: true, fontFiles: dejaVuFontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  };
}

/** Renders an SVG document to a PNG image (the bytes of the file). */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const png = new Resvg(svg, renderOptions(options)).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Renders an SVG to raw RGBA pixels (for tests and checks): width, height and 4 bytes a pixel. */
export function svgToPixels(svg: string, options: PngOptions = {}): { width: number; height: number; pixels: Uint8Array } {
  const image = new Resvg(svg, renderOptions(options)).render();
  const p = image.pixels;
  return { width: image.width, height: image.height, pixels: new Uint8Array(p.buffer, p.byteOffset, p.byteLength) };
}
