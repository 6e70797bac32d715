/**
 * `ska-analyze inspect FILES…`: what the tool sees in each export, before any analysis: the
 * encoding, delimiter, layout, column mapping, values per column (normalised, never ids or
 * names) and every problem with its lines. What a user runs first on a new export.
 */
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { describeFile, type FileMeta } from '../meta.js';
import { readExports } from '../normalise/ingest.js';
import type { AssessmentObservation, GradeObservation, ResultStore } from '../normalise/store.js';
import { mergeAreas, readAreaMapping } from '../read/areas.js';
import { resolveInputs } from '../read/inputs.js';
import { stdoutPainter, parseEncoding, parseLang, writeReport, type CommonOptions } from './shared.js';
import { renderInspect } from '../render/inspect.js';

export interface InspectCommandOptions extends CommonOptions {
  format?: string;
}

export interface InspectedFile extends FileMeta {
  ignored_headers: string[];
  pupils: number;
  /** Teachers are people: only their number is shown. */
  teachers: number;
  id_formats: Record<string, number>;
  /** Normalised values per dimension with counts (school years, levels, subjects, schools…). */
  dimensions: Record<string, Record<string, number>>;
}

function tallyDimensions(store: ResultStore): Record<string, Record<string, number>> {
  const dims: Record<string, Map<string, number>> = {
    school_year: new Map(),
    grade_level: new Map(),
    subject: new Map(),
    area: new Map(),
    school: new Map(),
    class: new Map(),
  };
  const bump = (dim: string, value: string | number | null) => {
    const map = dims[dim];
    if (!map) return;
    const key = value === null ? '(saknas)' : String(value);
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  for (const slot of store.slots.values()) {
    const observations: (GradeObservation | AssessmentObservation | undefined)[] = [slot.grade, slot.gradeAutumn, slot.test, slot.assessment];
    for (const observation of observations) {
      if (!observation) continue;
      bump('school_year', slot.schoolYear);
      bump('subject', slot.subject);
      bump('grade_level', observation.gradeLevel);
      bump('area', observation.area);
      bump('school', observation.school);
      bump('class', observation.class);
    }
  }
  const out: Record<string, Record<string, number>> = {};
  const collator = new Intl.Collator('sv', { numeric: true });
  for (const [dim, map] of Object.entries(dims)) {
    if (map.size === 0 || (map.size === 1 && map.has('(saknas)'))) continue;
    out[dim] = Object.fromEntries([...map.entries()].sort(([a], [b]) => collator.compare(a, b)));
  }
  return out;
}

export async function runInspect(files: string[], options: InspectCommandOptions): Promise<void> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format: use table or json, not "${format}"`);
  const lang = parseLang(options.lang);
  const config = await loadConfig(options.config);
  const encoding = parseEncoding(options.encoding);
  let fromFile: Map<string, string> | null = null;
  if (options.areas !== undefined) {
    const [source] = await resolveInputs([options.areas]);
    if (source) fromFile = await readAreaMapping(source);
  }
  const areas = mergeAreas(config.areas, fromFile);
  const inspected: InspectedFile[] = [];
  for (const source of await resolveInputs(files)) {
    const { store, files: reports } = await readExports([source], { ...(encoding ? { encoding } : {}), config, areas });
    const report = reports[0];
    if (!report) continue;
    const pupils = new Set<string>();
    const teachers = new Set<string>();
    for (const slot of store.slots.values()) {
      pupils.add(slot.pupil);
      if (slot.grade?.teacher) teachers.add(slot.grade.teacher);
      if (slot.gradeAutumn?.teacher) teachers.add(slot.gradeAutumn.teacher);
    }
    inspected.push({
      ...describeFile(report),
      ignored_headers: report.unmatchedHeaders,
      pupils: pupils.size,
      teachers: teachers.size,
      id_formats: { ...report.idFormats },
      dimensions: tallyDimensions(store),
    });
  }
  const text =
    format === 'json'
      ? `${JSON.stringify({ files: inspected }, null, 2)}\n`
      : renderInspect(inspected, { lang, paint: stdoutPainter(options.output) });
  await writeReport(text, options.output);
}
