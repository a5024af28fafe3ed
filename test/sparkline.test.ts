import { describe, expect, it } from 'vitest';
import { sparkline } from '../src/viz/sparkline.js';

describe('sparkline', () => {
  it('draws the lowest value lowest and the highest highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([7, 0])).toBe('█▁');
  });

  it('resamples long series to the width, by the mean of each span', () => {
    const s = sparkline(Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0 : 1)), 10);
    expect(s).toBe('▁▁▁▁▁█████');
  });

  it('handles empty, flat and non-finite data', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([3, 3, 3])).toBe('▁▁▁');
    expect(sparkline([0, NaN, 1])).toBe('▁ █');
  });
});
