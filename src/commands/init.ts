/**
 * `ska-analyze init FILES…`: a commented config file to start from. Reads the exports as every
 * command does (loadInputs) and writes `ska.config.json` (JSON with comments, accepted by
 * parseConfig): the headers found per field, school → area from the exports and --areas, the
 * omdöme scale when no built-in one covers the values, min_group, by, and the reference files.
 * Deterministic (the same exports give the same bytes) and free of pupil data: headers, school
 * and area names and value labels only, never an id or a pupil's or teacher's name.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { DEFAULT_GAP_BY } from '../analysis/gap.js';
import { parseConfig } from '../config.js';
import { InputError, UsageError, describeFsError } from '../errors.js';
import { FIELDS, type Field } from '../normalise/headers.js';
import type { FileReport } from '../normalise/ingest.js';
import { safeDetail } from '../normalise/ledger.js';
import type { ResultStore } from '../normalise/store.js';
import { fold } from '../normalise/text.js';
import { formatCount } from '../render/format.js';
import { DIMENSIONS } from '../types.js';
import type { Io } from '../io.js';
import { inputsOf, loadInputs, takeStore, writeDiagnostics, writeReport } from './shared.js';
import { z } from 'zod';
import { defineCommand, FILES_ARGUMENT } from './command.js';
import { ENCODING_HELP, parseEncoding, parseOptions, parsePositiveInt } from './options.js';
import { writeOutput } from '../write-output.js';
import { MESSAGES } from '../messages.js';

const schema = z.object({
  output: z.string().optional().transform((value) => value ?? DEFAULT_OUTPUT),
  force: z.boolean().optional().transform((value) => value === true),
  areas: z.string().optional(),
  encoding: z.string().optional().transform(parseEncoding),
  quiet: z.boolean().optional().transform((value) => value === true),
  /** Repeatable: one or more reference files for `gap --reference`. */
  reference: z.array(z.string()).optional().transform((value) => value ?? []),
  referenceUnit: z
    .string()
    .optional()
    .transform((value) => {
      if (value !== undefined && value.trim() === '') throw new UsageError(MESSAGES.referenceUnitBlank());
      return value;
    }),
  minGroup: z.string().optional().transform((value) => parsePositiveInt('--min-group', value, 10)),
});

export type InitOptions = z.output<typeof schema>;

export const initCommand = defineCommand<InitOptions>({
  name: 'init',
  description: {
    sv: 'skriv en kommenterad konfigurationsfil (ska.config.json) utifrån vad exporterna innehåller: kolumner, skolområden, skala',
    en: 'write a commented config file (ska.config.json) from what the exports hold: columns, areas, scale',
  },
  argument: FILES_ARGUMENT,
  declare: (command, t) =>
    command
      .option('-o, --output <file>', t({ sv: 'vart konfigurationsfilen skrivs, - för stdout', en: 'where to write the config file, - for stdout' }), DEFAULT_OUTPUT)
      .option('--force', t({ sv: 'skriv över utdatafilen om den finns', en: 'overwrite the output file if it exists' }))
      .option('--areas <file>', t({ sv: 'CSV- eller .xlsx-fil som kopplar skola → skolområde (kolumnerna Skola och Skolområde), läggs in under "areas"', en: 'CSV or .xlsx file mapping school → area (columns Skola and Skolområde), merged into "areas"' }))
      .option('--encoding <name>', t(ENCODING_HELP))
      .option(
        '--reference <file>',
        t({ sv: 'referensfil för gap --reference (Skolverkets statistik eller en tidigare gap-JSON); kan upprepas', en: 'reference file for gap --reference (Skolverket statistics or an earlier gap JSON); repeatable' }),
        (file: string, files: string[] = []) => [...files, file],
      )
      .option('--reference-unit <name>', t({ sv: 'enheten i referensfilen att jämföra med: Riket, en kommuns namn eller kod', en: 'unit in the reference file to compare with: Riket, a kommun name or code' }))
      .option('--min-group <n>', t({ sv: 'min_group att skriva (standard 10)', en: 'min_group to write (default 10)' }))
      .option('-q, --quiet', t({ sv: 'ingen sammanfattning på stderr', en: 'no summary on stderr' })),
  parse: (raw) => parseOptions(schema, raw),
  run: runInit,
});

const DEFAULT_OUTPUT = 'ska.config.json';
const collator = new Intl.Collator('sv', { numeric: true });
const HIDDEN_ID = safeDetail('000000000000');

/** One top-level key with the comment lines above it; a member without key is comments only. */
interface Member {
  comments: string[];
  key?: string;
  value?: string;
}

/** Text safe inside a `//` comment: one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

function list(values: readonly string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
}

function objectText(entries: readonly (readonly [string, string])[]): string {
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, value], i) => `    ${JSON.stringify(key)}: ${value}${i < entries.length - 1 ? ',' : ''}`).join('\n')}\n  }`;
}

const WIDTH = 110;

/** Long comment lines broken at spaces (continuations indented); a JSON draft to uncomment is kept whole. */
function wrap(text: string): string[] {
  const line = oneLine(text);
  if (line.length <= WIDTH || line.startsWith('"')) return [line];
  const indent = /^ */.exec(line)?.[0] ?? '';
  const out: string[] = [];
  let current = '';
  for (const word of line.trimStart().split(' ')) {
    if (current !== '' && current.length + 1 + word.length > WIDTH) {
      out.push(current);
      current = `${indent}  ${word}`;
    } else current = current === '' ? `${indent}${word}` : `${current} ${word}`;
  }
  out.push(current);
  return out;
}

function render(header: readonly string[], members: readonly Member[]): string {
  const lines = header.flatMap(wrap).map((line) => `// ${line}`.trimEnd());
  lines.push('{');
  const lastKeyed = members.reduce((last, member, i) => (member.key === undefined ? last : i), -1);
  members.forEach((member, i) => {
    if (i > 0) lines.push('');
    for (const comment of member.comments.flatMap(wrap)) lines.push(`  // ${comment}`.trimEnd());
    if (member.key !== undefined) lines.push(`  ${JSON.stringify(member.key)}: ${member.value ?? 'null'}${i < lastKeyed ? ',' : ''}`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Headers per field, in the order first met, one spelling per folded header. */
function collectColumns(files: readonly FileReport[]): { columns: Map<Field, string[]>; conflicts: string[] } {
  const columns = new Map<Field, string[]>();
  for (const report of files) {
    for (const field of FIELDS) {
      const header = report.columns[field];
      if (header === undefined) continue;
      const known = columns.get(field) ?? [];
      if (!known.some((h) => fold(h) === fold(header))) known.push(header);
      columns.set(field, known);
    }
  }
  // A file with several listed headers for one field uses the first in the list: put the one the
  // file used first, so that the config maps every file as the aliases did.
  const present = (report: FileReport) => new Set([...Object.values(report.columns), ...report.unmatchedHeaders, ...report.duplicateHeaders.map((d) => d.header)].map(fold));
  const firstPresent = (headers: readonly string[], report: FileReport) => {
    const has = present(report);
    return headers.findIndex((h) => has.has(fold(h)));
  };
  for (const report of files) {
    for (const [field, headers] of columns) {
      const used = report.columns[field];
      if (used === undefined) continue;
      const at = headers.findIndex((h) => fold(h) === fold(used));
      const first = firstPresent(headers, report);
      if (first >= 0 && first < at) headers.splice(first, 0, ...headers.splice(at, 1));
    }
  }
  const conflicts: string[] = [];
  for (const report of files) {
    for (const [field, headers] of columns) {
      const used = report.columns[field];
      if (used === undefined) continue;
      const chosen = headers[firstPresent(headers, report)];
      if (chosen === undefined || fold(chosen) !== fold(used)) {
        conflicts.push(`${basename(report.file)}: ${field} är "${used}" men "${chosen ?? '?'}" kommer först i listan; ändra ordningen om det behövs`);
      }
    }
  }
  return { columns, conflicts };
}

interface SchoolAreas {
  /** Display name (first spelling met) → its one area. */
  mapped: [string, string][];
  withoutArea: string[];
  /** Schools seen with more than one area: left out of `areas`. */
  ambiguous: [string, string[]][];
  hidden: number;
}

/** School → area as the store holds it: the --areas mapping where it names the school, else the column. */
function collectAreas(store: ResultStore): SchoolAreas {
  const schools = new Map<string, { name: string; areas: Set<string> }>();
  for (let ctx = 0; ctx < store.ctxSchool.length; ctx++) {
    const { school, area } = store.attributesOf(ctx);
    if (school === null) continue;
    const key = fold(school);
    let entry = schools.get(key);
    if (!entry) {
      entry = { name: school, areas: new Set() };
      schools.set(key, entry);
    }
    if (area !== null) entry.areas.add(area);
  }
  const result: SchoolAreas = { mapped: [], withoutArea: [], ambiguous: [], hidden: 0 };
  for (const { name, areas } of schools.values()) {
    const names = [...areas].sort(collator.compare);
    // A shifted column can put a personnummer where the school should be: never write it.
    if (safeDetail(name) === HIDDEN_ID || names.some((area) => safeDetail(area) === HIDDEN_ID)) result.hidden++;
    else if (names.length === 0) result.withoutArea.push(name);
    else if (names.length === 1) result.mapped.push([name, names[0] ?? '']);
    else result.ambiguous.push([name, names]);
  }
  result.mapped.sort(([a], [b]) => collator.compare(a, b));
  result.withoutArea.sort(collator.compare);
  result.ambiguous.sort(([a], [b]) => collator.compare(a, b));
  return result;
}

/** Values of one rejection reason over all files, most frequent first (already made safe by the ledger). */
function rejectedValues(files: readonly FileReport[], reason: 'invalid_assessment' | 'unknown_subject' | 'unknown_kind'): [string, number][] {
  const counts = new Map<string, number>();
  for (const report of files) {
    for (const [value, count] of report.ledger.details.get(reason) ?? []) {
      if (value.startsWith('[hidden')) continue;
      counts.set(value, (counts.get(value) ?? 0) + count);
    }
  }
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || collator.compare(a, b));
}

function counted(values: readonly [string, number][], max = 10): string {
  const shown = values.slice(0, max).map(([value, count]) => `${JSON.stringify(value)} ×${count}`);
  return `${shown.join(', ')}${values.length > max ? `, … (${values.length - max} till)` : ''}`;
}

const SCALE_NAMES: readonly { labels: readonly string[]; name: string }[] = [
  { labels: ['ej godtagbar', 'godtagbar', 'mer än godtagbar'], name: 'tre nivåer: ej godtagbar, godtagbar, mer än godtagbar (i ord eller 0/1/2, -1 = saknas)' },
  { labels: ['ej uppnått', 'uppnått'], name: 'uppnått / ej uppnått' },
  { labels: ['A', 'B', 'C', 'D', 'E', 'F'], name: 'A–F' },
];

/** The built-in scales the accepted omdömen were read with. */
function recognisedScales(files: readonly FileReport[]): string[] {
  const labels = new Set(files.flatMap((report) => Object.keys(report.values.assessment)));
  return SCALE_NAMES.filter((scale) => scale.labels.some((label) => labels.has(label))).map((scale) => scale.name);
}

function assessmentMember(files: readonly FileReport[]): { member: Member; summary: string } {
  const unknown = rejectedValues(files, 'invalid_assessment');
  const scales = recognisedScales(files);
  if (unknown.length > 0) {
    const labels = unknown.map(([label]) => label);
    return {
      member: {
        comments: [
          `assessment_scale: omdömen som ingen inbyggd skala känner igen: ${counted(unknown)}.`,
          'Är det stavfel eller enstaka felaktiga värden, rätta exporten i stället (raderna avvisas och räknas tills dess).',
          'Ordningen och vilka som är godkända går inte att se i exporterna: ordna labels från lägst till högst,',
          'ange de godkända i passing (och värden som betyder "inget omdöme" i missing), och ta sedan bort // på raden nedan.',
          `"assessment_scale": { "labels": ${list(labels)}, "passing": ${list(labels.slice(-1))} },`,
          ...(scales.length > 0 ? [`Övriga omdömen följer en inbyggd skala: ${scales.join('; ')}.`] : []),
        ],
      },
      summary: `${unknown.length} okända omdömesvärden (se assessment_scale i filen)`,
    };
  }
  if (scales.length > 0) {
    return {
      member: { comments: [`assessment_scale behövs inte: omdömena följer en inbyggd skala (${scales.join('; ')}).`] },
      summary: `inbyggd skala (${scales.map((s) => s.split(':')[0]).join('; ')})`,
    };
  }
  return { member: { comments: ['assessment_scale behövs inte: exporterna har inga omdömen.'] }, summary: 'inga' };
}

/** A path as it is written in the config: relative to the config file's folder, with forward slashes. */
function relativeTo(folder: string, file: string): string {
  const path = relative(folder, resolve(file));
  return path.split(sep).join('/');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return false;
    throw describeFsError(error, path);
  }
}

async function runInit(files: string[], options: InitOptions, io: Io): Promise<number> {
  const { output, minGroup, force } = options;
  const toStdout = output === '-';
  if (!toStdout && !force && (await exists(output))) throw new UsageError(MESSAGES.outputExists(output));
  const references = options.reference;
  for (const file of references) {
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      throw describeFsError(error, file);
    }
    if (!info.isFile()) throw new InputError(MESSAGES.referenceNeedsFile(file));
  }

  const loaded = await loadInputs(files, { areas: options.areas, encoding: options.encoding, quiet: options.quiet }, io);
  const store = takeStore(loaded);
  const reports = loaded.files;
  const configName = toStdout ? DEFAULT_OUTPUT : basename(output);

  const header = [
    `${configName}: skriven av \`ska-analyze init\` från ${reports.map((r) => basename(r.file)).join(', ')}.`,
    `Använd den så här:  ska-analyze gap --config ${configName} EXPORTER`,
    '(transition och inspect läser den också med --config). Ändra fritt: kommentarer och avslutande kommatecken är tillåtna.',
  ];
  const members: Member[] = [];

  // columns
  const { columns, conflicts } = collectColumns(reports);
  const ignored = reports.map((report) => {
    // A data row taken for the header would show an id here: never written.
    const shown = (header: string) => (safeDetail(header) === HIDDEN_ID ? '(ser ut som ett id, visas inte)' : header);
    const names = [...report.unmatchedHeaders.map(shown), ...report.duplicateHeaders.map((d) => `${shown(d.header)} (${d.field} finns redan)`)];
    return `  ${basename(report.file)}: ${names.length > 0 ? names.join(', ') : 'inga'}`;
  });
  members.push({
    comments: [
      'columns: fält → rubriken i exporterna (en lista när filerna skiljer sig åt; en fil som har flera av dem använder den första).',
      'Kolumner som inte används:',
      ...ignored,
      ...conflicts.map((conflict) => `OBS: ${conflict}`),
    ],
    key: 'columns',
    value: objectText(FIELDS.filter((field) => columns.has(field)).map((field) => {
      const headers = columns.get(field) ?? [];
      return [field, headers.length === 1 ? JSON.stringify(headers[0]) : list(headers)] as const;
    })),
  });

  // subjects and kinds the tool did not recognise: a hint, never a guess
  const subjects = rejectedValues(reports, 'unknown_subject');
  if (subjects.length > 0) {
    members.push({ comments: [`subjects: ämnen som inte kändes igen: ${counted(subjects)}.`, 'Lägg till dem med Skolverkets ämneskod, t.ex. "subjects": { "Matte 2": "MA" }.'] });
  }
  const kinds = rejectedValues(reports, 'unknown_kind');
  if (kinds.length > 0) {
    members.push({ comments: [`kinds: resultattyper som inte kändes igen: ${counted(kinds)}.`, 'Lägg till dem som grade, test eller assessment, t.ex. "kinds": { "TB": "grade" }.'] });
  }

  // areas
  const areas = collectAreas(store);
  const sources = [
    ...(reports.some((report) => report.columns.area !== undefined) ? ['exporternas områdeskolumn'] : []),
    ...(options.areas !== undefined ? [basename(options.areas)] : []),
  ];
  const areaComments = [
    sources.length > 0 ? `areas: skola → skolområde, från ${sources.join(' och ')}.` : 'areas: skola → skolområde (exporterna har ingen områdeskolumn; skriv in områdena här eller använd --areas).',
  ];
  if (areas.withoutArea.length > 0) areaComments.push(`Skolor utan område: ${areas.withoutArea.join(', ')} (lägg till dem här).`);
  else if (areas.mapped.length > 0) areaComments.push('Alla skolor i exporterna har ett område.');
  for (const [school, names] of areas.ambiguous) areaComments.push(`${school} har flera områden i exporterna (${names.join(', ')}): välj ett och lägg till det här.`);
  if (areas.hidden > 0) areaComments.push(`${areas.hidden} skolnamn ser ut som personnummer och skrevs inte (kontrollera skolkolumnen med inspect).`);
  const schoolCount = areas.mapped.length + areas.withoutArea.length + areas.ambiguous.length + areas.hidden;
  if (schoolCount === 0) members.push({ comments: ['areas: exporterna har ingen skolkolumn.'] });
  else members.push({ comments: areaComments, key: 'areas', value: objectText(areas.mapped.map(([school, area]) => [school, JSON.stringify(area)] as const)) });

  // files: exports whose rows have no grade level (an omdöme file with no Årskurs or Klass column)
  const levelless = reports.filter((report) => report.noLevel > 0);
  if (levelless.length > 0) {
    const entries = levelless.map((report) => {
      const onlyAssessments = report.kinds.length > 0 && report.kinds.every((kind) => kind === 'assessment');
      return { name: basename(report.file), level: onlyAssessments ? 5 : null, rows: report.noLevel };
    });
    const sure = entries.filter((entry) => entry.level !== null);
    const unsure = entries.filter((entry) => entry.level === null);
    members.push({
      comments: [
        'files: värden för hela filer, efter filnamn (* och ? som jokertecken). Raderna i de här filerna har ingen årskurs:',
        ...entries.map((entry) => `  ${entry.name}: ${formatCount(entry.rows, 'sv')} rader utan årskurs${entry.level === 5 ? ' (bara omdömen: årskurs 5 antas, ändra om det är fel)' : ' (skriv in rätt årskurs nedan)'}`),
        ...unsure.map((entry) => `"files": { ${JSON.stringify(entry.name)}: { "grade_level": 6 } }  ← ta bort // och skriv rätt årskurs`),
      ],
      ...(sure.length > 0 ? { key: 'files', value: objectText(sure.map((entry) => [entry.name, `{ "grade_level": ${entry.level} }`] as const)) } : {}),
    });
  }

  // assessment_scale
  const assessment = assessmentMember(reports);
  members.push(assessment.member);

  // min_group, by
  members.push({ comments: ['min_group: grupper med färre elever än så visar inga siffror (10 som i Skolverkets statistik).'], key: 'min_group', value: String(minGroup) });
  members.push({ comments: [`by: gap-rapportens grupper, i ordning (att välja bland: ${DIMENSIONS.join(', ')}).`], key: 'by', value: list(DEFAULT_GAP_BY) });

  // reference, reference_unit
  if (references.length > 0) {
    const folder = toStdout ? process.cwd() : dirname(resolve(output));
    const paths = references.map((file) => relativeTo(folder, file));
    members.push({
      comments: ['reference: jämförelsefiler för gap --reference (Skolverkets statistik eller en tidigare gap-JSON), relativt den här filens mapp.'],
      key: 'reference',
      value: paths.length === 1 ? JSON.stringify(paths[0]) : list(paths),
    });
  }
  if (options.referenceUnit !== undefined) {
    members.push({ comments: ['reference_unit: vilken enhet i jämförelsefilen som används (Riket, en kommuns namn eller kod).'], key: 'reference_unit', value: JSON.stringify(options.referenceUnit.trim()) });
  }

  const text = render(header, members);
  // What init writes must be what every other command reads.
  parseConfig(configName, text);

  if (toStdout) await writeReport(text, undefined, io, []);
  else await writeOutput(output, text, { inputs: inputsOf([...reports, ...loaded.alsoRead], options), ...(force ? {} : { ifExists: () => new UsageError(MESSAGES.outputExists(output)) }) });

  const read = reports.reduce((sum, r) => sum + r.ledger.read, 0);
  const accepted = reports.reduce((sum, r) => sum + r.ledger.accepted, 0);
  const n = (value: number) => formatCount(value, 'sv');
  const summary = [
    `ska-analyze init: ${n(reports.length)} ${reports.length === 1 ? 'fil' : 'filer'}, ${n(read)} rader lästa (${n(accepted)} godtagna, ${n(read - accepted)} avvisade)`,
    `  kolumner: ${[...columns].map(([field, headers]) => (headers.length > 1 ? `${field} (${headers.length} rubriker)` : field)).join(', ')}`,
    `  skolor: ${n(schoolCount)}, med område ${n(areas.mapped.length)}, utan område ${n(areas.withoutArea.length)}${areas.ambiguous.length > 0 ? `, med flera områden ${n(areas.ambiguous.length)}` : ''}`,
    `  omdömen: ${assessment.summary}`,
    ...(subjects.length > 0 ? [`  okända ämnen: ${n(subjects.length)} (se subjects i filen)`] : []),
    ...conflicts.map((conflict) => `  OBS: ${conflict}`),
    `  skrev ${toStdout ? 'till stdout' : output}`,
  ];
  writeDiagnostics(`${summary.join('\n')}\n`, options.quiet, io);
  return 0;
}
