/**
 * `ska-analyze inspect FILES…`: what the tool sees in each export, before any analysis: the
 * encoding, delimiter, layout, column mapping, values per column (normalised, never ids or
 * names) and every problem with its lines. What a user runs first on a new export.
 */
import { loadConfig } from '../config.js';
import { z } from 'zod';
import { defineCommand, FILES_ARGUMENT } from './command.js';
import { formats, output, parseOptions, reading } from './options.js';
import { describeFile } from '../meta.js';
import { readExports, settleDigests } from '../normalise/ingest.js';
import { KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, NONE, type ResultStore } from '../normalise/store.js';
import { schoolYearLabel } from '../normalise/school-year.js';
import { hasValidCheckDigit } from '../normalise/pupil-id.js';
import { mergeAreas, readAreaMapping } from '../normalise/areas.js';
import { resolveInputs } from '../read/inputs.js';
import { sortInputs, stdoutPainter, writeReport, inputsOf, widthOf } from './shared.js';
import { isStdout } from '../write-output.js';
import { renderInspect, type FailedFile, type InspectedFile, type InspectedWorkbook } from '../render/inspect.js';
import type { InputSource } from '../read/inputs.js';
import { InputError } from '../errors.js';
import type { Io } from '../io.js';

const FORMATS = formats<'table' | 'json'>(['table', 'json'], 'table', false);

const schema = z
  .object({
    ...reading.shape,
    ...output.shape,
    ...FORMATS.shape,
    /** Show rejected values as they are, names and ids included (personal data: handle with care). */
    rawValues: z.boolean().optional().transform((value) => value === true),
  })
  .transform((raw) => ({ ...raw, format: FORMATS.resolve(raw) }));

export type InspectOptions = z.output<typeof schema>;

export const inspectCommand = defineCommand<InspectOptions>({
  name: 'inspect',
  description: { sv: 'vad verktyget ser i varje export: teckenkodning, avgränsare, kolumner, värden, problem', en: 'what the tool sees in each export: encoding, delimiter, columns, values, problems' },
  argument: FILES_ARGUMENT,
  declare: (command, t) =>
    [reading, output, FORMATS].reduce(
      (cmd, group) => group.declare(cmd, t),
      command.option(
        '--raw-values',
        t({ sv: 'visa avvisade värden som de står, namn och id:n inräknade (personuppgifter: hantera varsamt)', en: 'show rejected values as they are, names and ids included (personal data: handle with care)' }),
      ),
    ),
  parse: (raw) => parseOptions(schema, raw),
  run: runInspect,
});


/** Normalised values per dimension, counted over every value kept (from the store's arrays). */
function tallyDimensions(store: ResultStore): Record<string, Record<string, number>> {
  const perCtx = new Float64Array(store.ctxSchool.length);
  const perYear = new Float64Array(store.yearStarts.length);
  const perSubject = new Float64Array(store.subjects.length);
  for (let slot = 0; slot < store.slotCount; slot++) {
    for (const kind of [KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, KIND_ASSESSMENT] as const) {
      const obs = store.obsOf(kind, slot);
      if (obs === NONE) continue;
      perCtx[store.ctxOf(obs)]! += 1;
      perYear[store.yearOf(slot)]! += 1;
      perSubject[store.subjectOf(slot)]! += 1;
    }
  }
  const dims: Record<string, Map<string, number>> = { school_year: new Map(), grade_level: new Map(), subject: new Map(), area: new Map(), school: new Map(), class: new Map() };
  const bump = (dim: string, value: string | number | null, count: number) => {
    if (count === 0) return;
    const map = dims[dim];
    if (!map) return;
    const key = value === null ? '(saknas)' : String(value);
    map.set(key, (map.get(key) ?? 0) + count);
  };
  perYear.forEach((count, year) => bump('school_year', schoolYearLabel(store.yearStarts[year] ?? 0), count));
  perSubject.forEach((count, subject) => bump('subject', store.subjects[subject] ?? null, count));
  perCtx.forEach((count, ctx) => {
    const attributes = store.attributesOf(ctx);
    bump('grade_level', attributes.gradeLevel, count);
    bump('area', attributes.area, count);
    bump('school', attributes.school, count);
    bump('class', attributes.class, count);
  });
  const out: Record<string, Record<string, number>> = {};
  const collator = new Intl.Collator('sv', { numeric: true });
  for (const [dim, map] of Object.entries(dims)) {
    if (map.size === 0 || (map.size === 1 && map.has('(saknas)'))) continue;
    out[dim] = Object.fromEntries([...map.entries()].sort(([a], [b]) => collator.compare(a, b)));
  }
  return out;
}

function countInvalidCheckDigits(store: ResultStore): number {
  let invalid = 0;
  for (let pupil = 0; pupil < store.pupilCount; pupil++) {
    const id = store.pupilId(pupil);
    if (/^\d{12}$/.test(id) && !hasValidCheckDigit({ id, kind: 'personnummer' })) invalid++;
  }
  return invalid;
}

/** For a worksheet: its workbook's sheets and what was done with each, and what reading it changed. */
function workbookOf(source: InputSource): { workbook: InspectedWorkbook } | Record<string, never> {
  const part = source.sheet;
  if (part === undefined) return {};
  const { workbook, stats } = part;
  return {
    workbook: {
      file: workbook.file,
      sheet: workbook.sheets[part.index]?.name ?? part.sheet,
      sheets: workbook.sheets.map((sheet) => ({ name: sheet.name, hidden: sheet.state !== 'visible', use: sheet.use ?? null, ...(sheet.of === undefined ? {} : { same_as: sheet.of }) })),
      line_breaks: stats.lineBreaks,
      ids_restored: stats.idsRestored,
      ids_short: stats.idsShort,
      formulas_without_value: stats.formulasWithoutValue,
      merged_ranges: stats.mergedRanges,
      cells_beyond_header: stats.cellsBeyondHeader,
      hidden_rows: stats.hiddenRows,
    },
  };
}

async function runInspect(files: string[], options: InspectOptions, io: Io): Promise<number> {
  const { format, lang, encoding, schoolYears } = options;
  const config = await loadConfig(options.config);
  const failed: FailedFile[] = [];
  const { exports, areasFiles, notes } = await sortInputs(files, options, config, encoding, io, { allowNone: true, failed });
  // An areas file that cannot be used is reported like any other file; the exports are still inspected.
  const mapping = async (source: { name: string; open(): AsyncIterable<Uint8Array> }): Promise<Map<string, string> | null> => {
    try {
      return await readAreaMapping(source);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failed.push({ file: source.name, error: error.text });
      return null;
    }
  };
  let fromFile: Map<string, string> | null = null;
  if (options.areas !== undefined) {
    const [source] = await resolveInputs([options.areas], io.stdin).catch((error: unknown) => {
      if (!(error instanceof InputError)) throw error;
      failed.push({ file: options.areas ?? '', error: error.text });
      return [];
    });
    if (source) fromFile = await mapping(source);
  }
  for (const source of areasFiles) {
    const found = await mapping(source);
    if (found) fromFile = new Map([...(fromFile ?? []), ...found]);
  }
  const areas = mergeAreas(config.areas, fromFile);
  const inspected: InspectedFile[] = [];
  // Every file is inspected, whatever the others hold: one that cannot be read is reported and the next one read.
  for (const source of exports) {
    let read;
    try {
      read = await readExports([source], {
        ...(encoding ? { encoding } : {}),
        ...(schoolYears ? { schoolYears } : {}),
        config,
        areas,
        rawValues: options.rawValues,
        allowUnusable: true,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failed.push({ file: source.name, error: error.text });
      continue;
    }
    const { store, files: reports } = read;
    const report = reports[0];
    if (!report) continue;
    const teachers = new Set<number>();
    for (let slot = 0; slot < store.slotCount; slot++) {
      for (const kind of [KIND_GRADE, KIND_GRADE_AUTUMN] as const) {
        const obs = store.obsOf(kind, slot);
        const teacher = obs === NONE ? -1 : (store.ctxTeacher[store.ctxOf(obs)] ?? -1);
        if (teacher >= 0) teachers.add(teacher);
      }
    }
    await settleDigests(reports);
    inspected.push({
      ...describeFile(report),
      ignored_headers: report.unmatchedHeaders,
      pupils: store.pupilCount,
      invalid_check_digits: countInvalidCheckDigits(store),
      teachers: teachers.size,
      id_formats: { ...report.idFormats },
      dimensions: tallyDimensions(store),
      unusable: report.ledger.accepted === 0 && report.ledger.rejectedTotal > 0,
      ...workbookOf(source),
    });
  }
  const text =
    format === 'json'
      ? `${JSON.stringify({ files: inspected, failed: failed.map(({ file, error }) => ({ file, error: error.en })), not_read: notes, raw_values: options.rawValues }, null, 2)}\n`
      : renderInspect(inspected, failed, notes, { lang, paint: stdoutPainter(options.output, io), rawValues: options.rawValues, width: isStdout(options.output) ? widthOf(io.stdout) : null });
  await writeReport(text, options.output, io, inputsOf([...exports.map((source) => ({ file: source.name, path: source.path ?? null })), ...areasFiles.map((source) => ({ file: source.name, path: source.path ?? null }))], options));
  // Everything was reported; a file that cannot be used still makes the run fail, for scripts.
  return failed.length > 0 || inspected.some((file) => file.unusable) ? 2 : 0;
}
