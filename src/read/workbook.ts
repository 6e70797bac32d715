/**
 * What the rest of the program needs of Excel workbooks without loading the workbook reader
 * (xlsx.ts and its zip and XML libraries, about 70 ms of start-up): its error and its counts.
 * The reader itself is loaded on first use through xlsx-lazy.ts.
 */

/** What is wrong with a workbook that cannot be read: not a (whole) zip, no workbook in it, a damaged part, a sheet gone since it was listed. */
export type XlsxProblem = 'not_zip' | 'no_workbook' | 'broken_part' | 'no_sheet';

export class XlsxError extends Error {
  override name = 'XlsxError';
  /** `detail`: the part or sheet concerned (empty for not_zip and no_workbook); the message adds the technical cause. */
  constructor(
    readonly problem: XlsxProblem,
    readonly detail: string,
    cause: string,
  ) {
    super(detail === '' ? cause : `${detail}: ${cause}`);
  }
}


/** What turning a sheet into CSV changed, counted during the last full read. */
export interface SheetStats {
  /** Lines written (the last row with a value). */
  lines: number;
  /** Cells whose line breaks became spaces. */
  lineBreaks: number;
  /** Pupil ids typed as numbers that had lost their leading zero, given it back. */
  idsRestored: number;
  /** Pupil ids typed as numbers of 7–9 digits not given a leading zero (none makes a personnummer of them, or the column does not hold personnummer): read as they are. */
  idsShort: number;
  /** Formulas without a cached value (a workbook written by a program and never opened in Excel): read as empty cells. */
  formulasWithoutValue: number;
  /** Merged cell ranges in the rows below the header: Excel shows the value in each cell of a range, but only its first cell holds it. */
  mergedRanges: number;
  /** Cells with a value to the right of the header's last column (no column to read them as): left out. */
  cellsBeyondHeader: number;
  /** Rows below the header hidden in Excel (a filter, or by hand): read like every other row. */
  hiddenRows: number;
}

export function emptyStats(): SheetStats {
  return { lines: 0, lineBreaks: 0, idsRestored: 0, idsShort: 0, formulasWithoutValue: 0, mergedRanges: 0, cellsBeyondHeader: 0, hiddenRows: 0 };
}
