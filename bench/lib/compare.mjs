// @ts-check
/**
 * Compares ska-analyze's JSON rows with DuckDB's, group by group.
 */

/**
 * @typedef {Record<string, unknown>} Row
 * @typedef {object} Spec
 * @property {readonly string[]} keys group key fields
 * @property {readonly string[]} counts integer fields, compared exactly
 * @property {readonly string[]} shares fractional fields, compared within `tolerance`
 * @typedef {object} Comparison
 * @property {number} compared groups whose figures were compared
 * @property {number} suppressed groups the tool shows no figures for (suppressed), only their presence checked
 * @property {string[]} differences human-readable, all of them
 */

/** @type {Spec} */
export const GAP_SPEC = {
  keys: ['school_year', 'grade_level', 'area', 'school', 'subject'],
  counts: ['n', 'n_grade_only', 'n_test_only'],
  shares: ['share_higher', 'share_same', 'share_lower', 'mean_diff'],
};

/** @type {Spec} */
export const TRANSITION_SPEC = {
  keys: ['area', 'school', 'subject'],
  counts: ['n', 'n_from_only', 'n_to_only', 'pass_pass', 'pass_fail', 'fail_pass', 'fail_fail'],
  shares: ['share_pass_from', 'share_pass_to'],
};

export const TOLERANCE = 1e-9;

/** @param {Spec} spec @param {Row} row */
function keyOf(spec, row) {
  return JSON.stringify(spec.keys.map((k) => (row[k] === undefined ? null : row[k])));
}

/** @param {Spec} spec @param {string} key */
function label(spec, key) {
  /** @type {unknown[]} */
  const values = JSON.parse(key);
  return spec.keys.map((k, i) => `${k}=${values[i] === null ? 'Totalt' : String(values[i])}`).join(' ');
}

/** @param {unknown} v */
function show(v) {
  return v === null || v === undefined ? 'null' : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/**
 * @param {Spec} spec
 * @param {readonly Row[]} ska rows of the tool's JSON report
 * @param {readonly Row[]} duck rows of the DuckDB query
 * @param {number} minGroup the --min-group ska-analyze ran with
 * @returns {Comparison}
 */
export function compareRows(spec, ska, duck, minGroup) {
  /** @type {string[]} */
  const differences = [];
  /** @type {Map<string, Row>} */
  const theirs = new Map();
  for (const row of duck) theirs.set(keyOf(spec, row), row);
  /** @type {Set<string>} */
  const seen = new Set();
  let compared = 0;
  let suppressed = 0;
  for (const row of ska) {
    const key = keyOf(spec, row);
    if (seen.has(key)) {
      differences.push(`${label(spec, key)}: group appears twice in ska-analyze's output`);
      continue;
    }
    seen.add(key);
    const other = theirs.get(key);
    if (!other) {
      differences.push(`${label(spec, key)}: only in ska-analyze's output (n=${show(row.n)})`);
      continue;
    }
    // A suppressed group shows no figures (n is null): only its presence, and for a small group
    // that it is small, can be compared.
    if (row.suppressed === true || row.n === null) {
      suppressed++;
      if (row.suppressed_reason === 'small_group' && typeof other.n === 'number' && other.n >= minGroup) {
        differences.push(`${label(spec, key)}: suppressed by ska-analyze as a small group (n < ${minGroup}), DuckDB n=${other.n}`);
      }
      continue;
    }
    compared++;
    for (const field of spec.counts) {
      if (row[field] !== other[field]) differences.push(`${label(spec, key)}: ${field} ska-analyze=${show(row[field])} DuckDB=${show(other[field])}`);
    }
    for (const field of spec.shares) {
      const a = row[field];
      const b = other[field];
      const same = (a === null || a === undefined) && (b === null || b === undefined)
        ? true
        : typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= TOLERANCE;
      if (!same) differences.push(`${label(spec, key)}: ${field} ska-analyze=${show(a)} DuckDB=${show(b)}`);
    }
  }
  for (const [key, row] of theirs) {
    if (!seen.has(key)) differences.push(`${label(spec, key)}: only in DuckDB's output (n=${show(row.n)})`);
  }
  return { compared, suppressed, differences };
}
