/**
 * `--fail-on`: thresholds for scheduled runs. "share_higher>0.25" or several, comma-separated
 * ("share_higher>0.25,verdict=strict"). A condition names a key of the report's rows, an operator
 * (> >= < <= = !=) and a number (decimal point: the comma separates conditions) or a word. A group breaches it when its value satisfies it;
 * hidden groups (no figures) never do. Pure: rows in, breaches out.
 */
import { UsageError } from '../errors.js';
import { MESSAGES } from '../messages.js';

type Operator = '>' | '>=' | '<' | '<=' | '=' | '!=';

export interface Condition {
  text: string;
  key: string;
  op: Operator;
  value: number | string;
}

const CONDITION = /^\s*([a-z_0-9]+)\s*(>=|<=|!=|==|>|<|=)\s*(.+?)\s*$/;

/** Parse the option's text; throws a UsageError whose message names the bad part (without "--fail-on: "). */
export function parseConditions(text: string, knownKeys: readonly string[]): Condition[] {
  const conditions: Condition[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const match = CONDITION.exec(part);
    if (!match) throw new UsageError(MESSAGES.conditionSyntax(part.trim()));
    const [, key = '', rawOp = '', rawValue = ''] = match;
    // A background dimension's key (bg_…) is known only once the exports are read.
    if (!knownKeys.includes(key) && !key.startsWith('bg_')) throw new UsageError(MESSAGES.conditionKey(key, knownKeys.slice(0, 6)));
    const op: Operator = rawOp === '==' ? '=' : (rawOp as Operator);
    const number = Number(rawValue);
    const value = rawValue !== '' && Number.isFinite(number) ? number : rawValue;
    if (typeof value === 'string' && op !== '=' && op !== '!=') throw new UsageError(MESSAGES.conditionNeedsNumber(part.trim(), op));
    conditions.push({ text: part.trim(), key, op, value });
  }
  if (conditions.length === 0) throw new UsageError(MESSAGES.noCondition());
  return conditions;
}

function holds(actual: unknown, condition: Condition): boolean {
  if (actual === null || actual === undefined) return false;
  const { op, value } = condition;
  if (typeof value === 'number') {
    if (typeof actual !== 'number' || !Number.isFinite(actual)) return false;
    switch (op) {
      case '>':
        return actual > value;
      case '>=':
        return actual >= value;
      case '<':
        return actual < value;
      case '<=':
        return actual <= value;
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
    }
  }
  return op === '=' ? String(actual) === value : String(actual) !== value;
}

export interface Breach<R> {
  condition: Condition;
  rows: R[];
}

export function findBreaches<R extends Record<string, unknown>>(rows: readonly R[], conditions: readonly Condition[]): Breach<R>[] {
  const out: Breach<R>[] = [];
  for (const condition of conditions) {
    const hits = rows.filter((row) => row.suppressed !== true && holds(row[condition.key], condition));
    if (hits.length > 0) out.push({ condition, rows: hits });
  }
  return out;
}
