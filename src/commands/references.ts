/**
 * `--reference FILE` (repeatable), `--reference-unit`, `--reference-provider` and the config
 * keys `reference` / `reference_unit`, for `gap` and `report`: each file is read by its content.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { COMPARED_METRICS, type ReferenceComparison, type SourcedReference } from '../analysis/reference-compare.js';
import { loadConfig } from '../config.js';
import { InputError, UsageError, describeFsError } from '../errors.js';
import { MESSAGES, say, type Message, type MessageLang } from '../messages.js';
import { readGapReference } from '../read/reference.js';
import { parseReference, type ReferenceSelection, type ReferenceTable } from '../normalise/reference-table.js';
import { poolSelected } from '../analysis/reference-pool.js';
import { selectReference } from '../analysis/reference-select.js';
import { bytesOf, readTextTable, spreadsheetKind } from '../read/records.js';
import { XlsxError } from '../read/workbook.js';
import { isEncryptedPackage, listSheets, sheetCsv } from '../read/xlsx-lazy.js';
import { farYearWarnings, type ReferenceFileInfo, type ReferenceInfo, type ReferenceUnitKind } from '../render/reference.js';

export interface ReferenceOptions {
  config?: string;
  /** Repeatable: an earlier gap JSON (grading standard) and/or published figures (CSV). */
  reference?: string[] | string;
  referenceUnit?: string;
  referenceProvider?: string;
  /** The language of the notes on stderr (default Swedish). */
  lang?: MessageLang;
}

/** The reference part of meta.parameters (gap, report): which files, unit and provider, and each file's SHA-256. */
export function referenceParameters(references: References, unit: string | undefined, provider: string | undefined): Record<string, unknown> {
  return {
    reference: references.standard?.file ?? null,
    reference_figures: references.published?.info.files.map((file) => file.file) ?? [],
    reference_unit: references.published ? (unit ?? null) : null,
    reference_provider: references.published ? (provider ?? null) : null,
    reference_files: references.manifest,
  };
}

/** The options, else the config file's `reference` / `reference_unit`; read and checked before any export. */
export async function resolveReferences(options: ReferenceOptions): Promise<{ references: References; referenceUnit: string | undefined }> {
  const given = typeof options.reference === 'string' ? [options.reference] : (options.reference ?? []);
  const fromConfig = given.length === 0 || options.referenceUnit === undefined ? await loadConfig(options.config) : {};
  const referenceFiles = given.length > 0 ? given : typeof fromConfig.reference === 'string' ? [fromConfig.reference] : (fromConfig.reference ?? []);
  const referenceUnit = options.referenceUnit ?? fromConfig.reference_unit;
  const references = await readReferences(
    referenceFiles,
    {
      ...(referenceUnit !== undefined ? { unit: referenceUnit } : {}),
      ...(options.referenceProvider !== undefined ? { provider: options.referenceProvider } : {}),
    },
    { lang: options.lang ?? 'sv' },
  );
  if (references.published === null && options.referenceUnit !== undefined) throw new UsageError(MESSAGES.referenceUnitWithoutFile('--reference-unit'));
  if (references.published === null && options.referenceProvider !== undefined) throw new UsageError(MESSAGES.referenceUnitWithoutFile('--reference-provider'));
  return { references, referenceUnit };
}

/** What `--reference` gave: at most one grading standard (a gap JSON) and any published figures. */
export interface References {
  standard: { file: string; tables: Map<string, Float64Array> } | null;
  published: PublishedReferences | null;
  /** Every reference file read, with the SHA-256 of its bytes (the run manifest). */
  manifest: { file: string; sha256: string }[];
}

interface PublishedReferences {
  info: ReferenceInfo;
  /** Pooled values of every file, each tagged with its file. */
  pooled: SourcedReference[];
  /**
   * For stderr, in the run's language: lines of the files that could not be used, what the reader
   * mended (a file re-saved by Excel), how Riket was computed, Skolverket's remarks above the header.
   */
  warnings: string[];
  lang: MessageLang;
}

/**
 * Everything to say on stderr about the published figures: what readReferences found, and the
 * comparison's group years judged against a reference two or more years away (farYearWarnings).
 * One line each, "ska-analyze: " first, as gap and report write their diagnostics.
 */
export function referenceDiagnostics(published: PublishedReferences, comparison: ReferenceComparison | null): string {
  const lines = [...published.warnings, ...(comparison === null ? [] : farYearWarnings(comparison, published.lang))];
  return lines.map((line) => `ska-analyze: ${line}\n`).join('');
}

/** What the reader mended in a file re-saved by Excel, for stderr. */
function repairNotes(table: ReferenceTable): Message[] {
  const repairs = table.repairs;
  if (repairs === undefined) return [];
  const out: Message[] = [];
  const example = repairs.padded_example;
  if (repairs.padded_codes > 0 && example !== null) out.push(MESSAGES.codesPadded(table.file, repairs.padded_codes, example));
  if (repairs.blank_lines_in_data > 0) {
    const n = repairs.blank_lines_in_data;
    const lines = repairs.blank_line_numbers.join(', ') + (n > repairs.blank_line_numbers.length ? ', …' : '');
    out.push(MESSAGES.blankLinesAmongUnits(table.file, n, lines));
  }
  return out;
}

/** Skolverket's remarks above the header (e.g. on 2017/18's test parts seen beforehand), passed on. */
function remarkNotes(table: ReferenceTable): Message[] {
  return (table.remarks ?? []).map((remark) => MESSAGES.skolverketRemark(table.file, table.school_year, remark));
}

/** A JSON file (an earlier gap run): its first character after a byte-order mark and space is `{`. */
function isJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b;
}

function unitKindOf(kinds: ReadonlySet<string>): ReferenceUnitKind {
  const rest = [...kinds].filter((kind) => kind !== 'nation');
  if (rest.length === 0) return kinds.size > 0 ? 'nation' : 'other';
  return rest.length === 1 && (rest[0] === 'school' || rest[0] === 'municipality') ? rest[0] : 'other';
}

/**
 * A workbook given as --reference (Skolverket's .xlsx download): its first visible sheet that is a
 * table of published figures, read as the CSV of that sheet (read/xlsx.ts), so it gives the
 * figures of the CSV download; lines are the sheet's rows (`file.xlsx!Sheet:12`).
 */
async function workbookReference(file: string): Promise<ReferenceTable> {
  const unreadable = (error: unknown): Error => (error instanceof XlsxError ? new InputError(MESSAGES.workbookUnreadable(file, error.problem, error.detail)) : describeFsError(error, file));
  const all = await listSheets(file).catch((error: unknown) => Promise.reject(unreadable(error)));
  const sheets = all.filter((sheet) => sheet.state === 'visible');
  if (sheets.length === 0) throw new InputError(MESSAGES.workbookWithoutSheets(file, all.length));
  const problems: InputError[] = [];
  for (const sheet of sheets) {
    const table = await readTextTable(sheetCsv(file, sheet.name), { keepBlank: true }).catch((error: unknown) => Promise.reject(unreadable(error)));
    try {
      return parseReference(`${file}!${sheet.name}`, table);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
    }
  }
  const [first] = problems;
  if (first === undefined || problems.length === 1) throw first ?? new InputError(MESSAGES.workbookWithoutSheets(file, all.length));
  throw new InputError(MESSAGES.referenceWorkbookNoTable(file, first.text));
}

/**
 * Read `--reference` files, each by its content: JSON (first non-space character `{`) is the
 * grading standard of an earlier gap run (at most one); anything else is published figures
 * (Skolverket's exports or the simple layout), pooled by `selection`. Published figures may not
 * give the same measure for the same school year, grade level, subject and gender twice.
 * Used by `gap` and `report`: compareWithReference(result, published.pooled, { alpha }) and
 * published.info give referenceSection / referenceDocSection their inputs.
 * @internal (also used by tests)
 */
export async function readReferences(files: readonly string[], selection: ReferenceSelection = {}, options: { lang?: MessageLang } = {}): Promise<References> {
  const lang = options.lang ?? 'sv';
  let standard: References['standard'] = null;
  const manifest: { file: string; sha256: string }[] = [];
  const infos: ReferenceFileInfo[] = [];
  const pooled: SourcedReference[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw describeFsError(error, file);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    manifest.push({ file, sha256 });
    if (isJson(bytes)) {
      if (standard !== null) throw new UsageError(MESSAGES.twoGradingStandards(standard.file, file));
      standard = { file, tables: await readGapReference(file) };
      continue;
    }
    const workbook = spreadsheetKind(bytes);
    if (workbook === 'xls' && (await isEncryptedPackage(file).catch(() => false))) throw new InputError(MESSAGES.workbookEncrypted(file));
    if (workbook === 'xls' || workbook === 'ods') throw new InputError(MESSAGES.oldSpreadsheet(file, workbook, MESSAGES.chooseCsv()));
    const table = workbook === 'xlsx' ? await workbookReference(file) : parseReference(file, await readTextTable(bytesOf(bytes), { keepBlank: true }));
    const selected = selectReference(table, selection);
    const values = poolSelected(selected).map((value): SourcedReference => ({ ...value, file }));
    for (const value of values) {
      if (!(COMPARED_METRICS as readonly string[]).includes(value.metric)) continue;
      const key = [value.school_year, value.grade_level, value.subject ?? '', value.gender, value.metric].join(' ');
      const other = seen.get(key);
      if (other !== undefined && other !== file) {
        throw new UsageError(MESSAGES.sameFigureTwice(other, file, value.metric, `${value.school_year} åk ${value.grade_level} ${value.subject ?? ''}${value.gender === 'all' ? '' : ` (${value.gender})`}`));
      }
      seen.set(key, file);
    }
    pooled.push(...values);
    const skipped = table.skipped.length > 0 ? [MESSAGES.referenceLinesSkipped(file, table.skipped)] : [];
    warnings.push(...[...(table.notes ?? []), ...skipped, ...repairNotes(table), ...selected.notes, ...remarkNotes(table)].map((note) => say(note, lang)));
    infos.push({
      file,
      sha256,
      layout: table.layout,
      title: table.title,
      school_year: table.school_year,
      publisher: table.publisher,
      label: values[0]?.label ?? selected.label,
      scope: selected.scope,
      unit_kind: unitKindOf(new Set(table.values.map((value) => value.unit_kind))),
      remarks: table.remarks ?? [],
      notes: selected.notes,
    });
  }
  const published = infos.length > 0 ? { info: { files: infos, selection: { unit: selection.unit ?? null, provider: selection.provider ?? null } }, pooled, warnings, lang } : null;
  return { standard, published, manifest };
}
