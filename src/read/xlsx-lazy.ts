/**
 * The workbook reader (xlsx.ts, with its zip and XML libraries: about 70 ms of start-up) loaded
 * on first use, so a run on CSV files never loads it.
 */
import type { SheetCsvOptions, XlsxSheet } from './xlsx.js';

/** A worksheet as CSV bytes (xlsx.ts `sheetCsv`), loading the workbook reader on first use. */
export async function* sheetCsv(path: string, sheetName: string, options?: SheetCsvOptions): AsyncGenerator<Uint8Array> {
  const reader = await import('./xlsx.js');
  yield* reader.sheetCsv(path, sheetName, options);
}

/** A workbook's sheets (xlsx.ts `listSheets`), loading the workbook reader on first use. */
export async function listSheets(path: string): Promise<XlsxSheet[]> {
  return (await import('./xlsx.js')).listSheets(path);
}

/** Whether a compound file is a workbook saved with a password (xlsx.ts `isEncryptedPackage`). */
export async function isEncryptedPackage(path: string): Promise<boolean> {
  return (await import('./xlsx.js')).isEncryptedPackage(path);
}
