// A time series as a line of block characters, for a terminal: the shape of a run at a glance
// (an S-curve of adoption, a dip in a shock) without leaving the command line. Takes data only.

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * Resamples `values` to at most `width` columns (each the mean of its span) and draws each column
 * as one of eight levels between the series' minimum and maximum. Non-finite values draw as blanks.
 */
export function sparkline(values: readonly number[], width = 60): string {
  if (values.length === 0 || width < 1) return '';
  const columns = Math.min(width, values.length);
  const means: number[] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * values.length) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / columns));
    let sum = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    means.push(n > 0 ? sum / n : NaN);
  }
  const finite = means.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return means
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (hi === lo) return BLOCKS[0];
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BLOCKS.length))];
    })
    .join('');
}
