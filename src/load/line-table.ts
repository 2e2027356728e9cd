import type { Position } from './locate.js';

/**
 * Offsets to line and column exactly as `yaml`'s LineCounter gives them (a line starts after every
 * "\n"; both count UTF-16 code units), without loading `yaml`.
 */
export function lineTable(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (offset < (starts[mid] ?? 0)) high = mid;
      else low = mid + 1;
    }
    const start = starts[low - 1] ?? 0;
    return { line: low, col: offset - start + 1 };
  };
}
