/**
 * Exact derivability for the suppression tests: can a hidden group's pupils be worked out from the
 * shown groups' (and the groups that are not there, which have none)? Written apart from
 * src/analysis/suppression.ts: rational arithmetic (BigInt), not floating point.
 */
// ---------------------------------------------------------------------------------------------
// Exact derivability: can a hidden group's pupils be worked out from the shown groups'?

type Fraction = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
function norm([p, q]: Fraction): Fraction {
  if (p === 0n) return [0n, 1n];
  const g = gcd(p, q) * (q < 0n ? -1n : 1n);
  return [p / g, q / g];
}
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

/** Whether `target` is a rational combination of `rows` (0/1 vectors), by exact Gaussian elimination. */
function inSpan(rows: readonly number[][], target: readonly number[]): boolean {
  const width = target.length;
  const pivots: { col: number; row: Fraction[] }[] = [];
  const reduce = (vector: readonly number[]): Fraction[] => {
    const v: Fraction[] = vector.map((x) => [BigInt(x), 1n]);
    for (const { col, row } of pivots) {
      const factor = v[col] as Fraction;
      if (factor[0] === 0n) continue;
      for (let j = 0; j < width; j++) v[j] = sub(v[j] as Fraction, mul(factor, row[j] as Fraction));
    }
    return v;
  };
  for (const vector of rows) {
    const v = reduce(vector);
    const col = v.findIndex((x) => x[0] !== 0n);
    if (col < 0) continue;
    const lead = v[col] as Fraction;
    pivots.push({ col, row: v.map((x) => div(x, lead)) });
  }
  return reduce(target).every((x) => x[0] === 0n);
}

export interface Group {
  key: Record<string, string | null>;
  hidden: boolean;
}

/**
 * Per stratum (the --by dimensions `strata`), the finest groups (every other dimension given) are
 * the unknowns; each group is the sum of those it holds. Returns the hidden groups whose sum is a
 * combination of the shown groups' sums (empty: nothing can be worked out).
 */
export function derivable(groups: readonly Group[], dims: readonly string[], strata: readonly string[]): string[] {
  const crossed = dims.filter((dim) => !strata.includes(dim));
  const byStratum = new Map<string, Group[]>();
  for (const group of groups) {
    const id = JSON.stringify(strata.map((dim) => group.key[dim] ?? null));
    byStratum.set(id, [...(byStratum.get(id) ?? []), group]);
  }
  const found: string[] = [];
  for (const members of byStratum.values()) {
    const leaves = members.filter((group) => crossed.every((dim) => group.key[dim] !== null));
    const vector = (group: Group) => leaves.map((leaf) => (crossed.every((dim) => group.key[dim] === null || group.key[dim] === leaf.key[dim]) ? 1 : 0));
    const shown = members.filter((group) => !group.hidden).map(vector);
    for (const group of members) if (group.hidden && inSpan(shown, vector(group))) found.push(JSON.stringify(group.key));
  }
  return found;
}

