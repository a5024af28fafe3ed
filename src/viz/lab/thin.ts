// Fewer points for a long run's lines: a chart 760 pixels wide shows no more than two values per
// pixel column, so a series of many thousand ticks is cut into buckets of ticks and each keeps its
// lowest and its highest value, in tick order (the shape a reader sees, spikes included). The
// cost of a redraw then stops growing with the length of the run; the data (the CSV) is untouched.

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** At most about `max` points of `points` (sorted by x): each bucket's extremes, the first and last point kept. */
export function thin(points: readonly Point[], max: number): Point[] {
  if (points.length <= max || max < 4) return [...points];
  const buckets = Math.floor(max / 2);
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (points[i]!.y < points[lo]!.y) lo = i;
      if (points[i]!.y > points[hi]!.y) hi = i;
    }
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  if (out[0] !== points[0]) out.unshift(points[0]!);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]!);
  return out;
}
