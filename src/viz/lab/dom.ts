
// Small helpers of the lab's page: elements by id, new elements, text set only when it changes,
// downloads, and a chart's SVG as a PNG.

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Sets an element's text only when it changes: each change costs the browser a layout. */
export function show(id: string, text: string): void {
  const e = $(id);
  if (e.textContent !== text) e.textContent = text;
}

/** Saves a blob as a file of that name (the browser's download). */
export function download(name: string, blob: Blob): void {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** An SVG document drawn as a PNG at twice its size (sharp on a projector). */
export async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = el('canvas', { width: String(img.width * 2), height: String(img.height * 2) });
    const g = canvas.getContext('2d')!;
    g.scale(2, 2);
    g.drawImage(img, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob === null) throw new Error('the chart could not be turned into a PNG');
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}
