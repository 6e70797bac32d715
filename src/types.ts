/**
 * Shared domain types. Analysis works on these; it never sees files or terminals.
 */

/** A–F grade as a step: F=0, E=1, D=2, C=3, B=4, A=5. */
export type GradeStep = 0 | 1 | 2 | 3 | 4 | 5;

/** Letters indexed by step. */
export const GRADE_LETTERS = ['F', 'E', 'D', 'C', 'B', 'A'] as const;
export type GradeLetter = (typeof GRADE_LETTERS)[number];

/** Grade points as Skolverket prints them: F=0, E=10, D=12.5, C=15, B=17.5, A=20. Indexed by step. */
export const GRADE_POINTS: readonly number[] = [0, 10, 12.5, 15, 17.5, 20];

/** What a result row records. */
export type ResultKind = 'grade' | 'test' | 'assessment';

export type Gender = 'girl' | 'boy';

/** The built-in dimensions a report can be grouped by. */
export const DIMENSIONS = [
  'school_year',
  'grade_level',
  'area',
  'school',
  'class',
  'subject',
  'gender',
  'teacher',
] as const;
export type BuiltinDimension = (typeof DIMENSIONS)[number];

/**
 * A background column of the exports used as a dimension (`--by nyanländ`, or any extra
 * column by its header): keyed `bg_` + its name (`bg_newly_arrived`, `bg_elevens_stodniva`), so
 * it can never take the name of a built-in dimension or of a figure in JSON and CSV.
 */
export type BackgroundDimension = `bg_${string}`;

/** Dimensions a report can be grouped by: the built-in ones and background columns. */
export type Dimension = BuiltinDimension | BackgroundDimension;

export function isBackground(dim: string): dim is BackgroundDimension {
  return dim.startsWith('bg_');
}
