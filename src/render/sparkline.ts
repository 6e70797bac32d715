/**
 * Terminal sparklines: one block character per value, scaled between the smallest and the largest
 * value given. Missing values (null, NaN, ±Infinity) become a space, so a suppressed year leaves a
 * visible gap instead of a made-up bar. Pure; no colour codes (the caller may paint the string).
 */

const SPARK_BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * `sparkline([1, 2, 3, null, 5])` → "▁▃▄ █". All (finite) values equal → "▄" for each. No finite value
 * at all → only spaces; an empty array → "" (an empty table cell, not a message).
 */
export function sparkline(values: readonly (number | null)[]): string {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const top = SPARK_BLOCKS.length - 1;
  return values
    .map((value) => {
      if (value === null || !Number.isFinite(value)) return ' ';
      if (max === min) return SPARK_BLOCKS[3];
      const level = Math.round(((value - min) / (max - min)) * top);
      return SPARK_BLOCKS[Math.min(top, Math.max(0, level))];
    })
    .join('');
}
