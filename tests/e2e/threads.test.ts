/**
 * Threaded reading (--threads) gives byte-identical reports: figures, row accounting, example
 * lines, duplicates and conflicts across blocks, quoted cells over block edges, files not grouped
 * by pupil, other encodings and line ends. The worker threads run from the built dist/, so these
 * tests call dist's main in this process; SKA_BLOCK_BYTES and SKA_PARALLEL_MIN_BYTES make even a
 * small file be read as many blocks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, ROOT } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'ska-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Main = (argv: readonly string[], io: unknown) => Promise<number>;
const { main } = (await import(pathToFileURL(join(ROOT, 'dist/cli.js')).href)) as { main: Main };

async function run(args: string[], threads: number, blockBytes = 2048): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Collector();
  const stderr = new Collector();
  const env = { NO_COLOR: '1', SKA_BLOCK_BYTES: String(blockBytes), SKA_PARALLEL_MIN_BYTES: '0' };
  const status = await main([...args, '--threads', String(threads)], { stdout, stderr, stdin: (async function* () {})(), env });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** Test-series personnummer (födelsenummer 98x): pupil k, born in `year`. */
function pupil(k: number, year: number): string {
  const day = String((k % 28) + 1).padStart(2, '0');
  const month = String(Math.floor(k / 28) % 12 + 1).padStart(2, '0');
  return `${year}${month}${day}98${Math.floor(k / 336) % 10}${k % 10}`;
}

const GRADES = ['A', 'B', 'C', 'D', 'E', 'F'];
const SUBJECTS = ['MA', 'SV', 'EN'];

/** A long export: år 5 omdömen 2023/24, år 6 grades and tests 2024/25, with planted trouble. */
function longExport({ shuffle = false, comments = false }: { shuffle?: boolean; comments?: boolean } = {}): string {
  const rows: string[] = [];
  for (let k = 0; k < 400; k++) {
    const id = pupil(k, 2013);
    const school = `Skola ${k % 7}`;
    for (const subject of SUBJECTS) {
      rows.push(`${id};${school};Område ${k % 3};5A;5;2023/24;${subject};${k % 2 ? 'F' : 'P'};Bedömning;${(k + subject.length) % 5 === 0 ? 0 : 2}`);
      rows.push(`${id};${school};Område ${k % 3};6A;6;2024/25;${subject};${k % 2 ? 'F' : 'P'};Terminsbetyg;${GRADES[(k * 7 + subject.length) % 6]}`);
      // Every 29th pupil's test rows say "Okänt" for gender (noted, not rejected).
      rows.push(`${id};${school};Område ${k % 3};6A;6;2024/25;${subject};${k % 29 === 0 ? 'Okänt' : k % 2 ? 'F' : 'P'};Provbetyg;${GRADES[(k * 5 + subject.length) % 6]}`);
    }
    if (k % 37 === 0) rows.push(`${id};${school};Område ${k % 3};6A;6;2024/25;MA;P;Provbetyg;${GRADES[(k * 5 + 2) % 6]}`); // duplicate
    if (k % 53 === 0) rows.push(`${id};${school};Område ${k % 3};6A;6;2024/25;SV;P;Terminsbetyg;F`); // a conflict (or a duplicate)
    if (k % 41 === 0) rows.push(`${id};${school};Område ${k % 3};6A;6;2024/25;Slöjdx;P;Terminsbetyg;C`); // unknown subject
    if (k % 43 === 0) rows.push(`${id};${school};Område ${k % 3};6A;6;2024/25;EN;P;Terminsbetyg;VG`); // old scale
    if (k % 47 === 0) rows.push(`;${school};Område ${k % 3};6A;6;2024/25;EN;P;Terminsbetyg;C`); // no id
  }
  if (shuffle) {
    // A fixed pseudo-random order: a pupil's rows far apart, duplicates before their originals.
    let state = 12345;
    for (let i = rows.length - 1; i > 0; i--) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const j = state % (i + 1);
      [rows[i], rows[j]] = [rows[j] ?? '', rows[i] ?? ''];
    }
  }
  const header = comments ? 'Personnummer;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Kön;Typ;Resultat;Kommentar' : 'Personnummer;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Kön;Typ;Resultat';
  const body = comments
    ? rows.map((row, i) => `${row};${i % 97 === 0 ? `"rad ett\n${'mitt i en cell; med ' + i + '\n'.repeat(1)}${'x'.repeat(3000)}\nslut"` : 'ok'}`)
    : rows;
  return `${header}\n${body.join('\n')}\n`;
}

async function same(file: string, args: string[] = [], commands = ['gap', 'transition', 'inspect']): Promise<void> {
  const all = [['gap', '--format', 'json', '--min-group', '1'], ['transition', '--format', 'json', '--min-group', '1'], ['inspect', '--format', 'json']];
  for (const command of all.filter((c) => commands.includes(c[0] ?? ''))) {
    const one = await run([command[0] ?? 'gap', file, ...command.slice(1), ...args], 1);
    const many = await run([command[0] ?? 'gap', file, ...command.slice(1), ...args], 3);
    expect(one.status, one.stderr).toBe(0);
    expect(many.stdout, `${command[0]} stdout`).toBe(one.stdout);
    expect(many.stderr, `${command[0]} stderr`).toBe(one.stderr);
  }
}

describe('--threads 1 and --threads 3 give the same bytes', () => {
  it('a long export in pupil order, cut into many blocks', async () => {
    const file = join(dir, 'long.csv');
    writeFileSync(file, longExport());
    await same(file);
    // Not vacuous: the file is many blocks, and has duplicates, conflicts and rejected rows.
    const json = JSON.parse((await run(['gap', file, '--format', 'json', '--min-group', '1'], 3)).stdout) as { meta: { files: { rejected: Record<string, { count: number }>; unrecognised_gender: { count: number } | null }[] } };
    expect(Object.keys(json.meta.files[0]?.rejected ?? {}).sort()).toEqual(['conflict', 'duplicate', 'missing_id', 'old_grade_scale', 'unknown_subject']);
    expect(json.meta.files[0]?.unrecognised_gender?.count).toBe(14 * 3);
  });

  it('rows in no order (a pupil all over the file; a duplicate before its original)', async () => {
    const file = join(dir, 'shuffled.csv');
    writeFileSync(file, longExport({ shuffle: true }));
    await same(file);
  });

  it('the same rows in another order give the same figures (gap, transition, trend), to the last digit', async () => {
    const ordered = join(dir, 'ordered.csv');
    const shuffled = join(dir, 'shuffled-figures.csv');
    // Not one row lost or rejected, and many schools (sums over groups in another order would differ in the last digits);
    // the planted duplicates give some pupils another gender than their other rows (the personnummer decides then).
    const clean = (text: string) => text.split('\n').filter((line, i) => i === 0 || (line !== '' && !/Slöjdx|;VG$|^;/.test(line))).join('\n') + '\n';
    const manySchools = (text: string) => text.replace(/;Skola \d+;/g, (_, offset: number) => `;Skola ${(offset * 7919) % 61};`);
    const rows = clean(longExport()).split('\n');
    const byPupil = new Map<string, string[]>();
    for (const row of rows.slice(1, -1)) byPupil.set(row.slice(0, 12), [...(byPupil.get(row.slice(0, 12)) ?? []), row]);
    // Each pupil's rows at one school (the school from the pupil's first row's position).
    const schooled = [...byPupil.values()].flatMap((own) => {
      const school = manySchools(own[0] ?? '').split(';')[1];
      return own.map((row) => row.replace(/;Skola \d+;/, `;${school};`));
    });
    writeFileSync(ordered, `${rows[0]}\n${schooled.join('\n')}\n`);
    let state = 99;
    const mixed = [...schooled];
    for (let i = mixed.length - 1; i > 0; i--) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const j = state % (i + 1);
      [mixed[i], mixed[j]] = [mixed[j] ?? '', mixed[i] ?? ''];
    }
    writeFileSync(shuffled, `${rows[0]}\n${mixed.join('\n')}\n`);
    for (const command of [['gap', '--min-group', '1'], ['gap', '--by', 'skola,kön', '--min-group', '1'], ['transition', '--min-group', '1'], ['trend', '--min-group', '1']]) {
      const [name = 'gap', ...rest] = command;
      const a = await run([name, ordered, '--format', 'json', ...rest], 1);
      const b = await run([name, shuffled, '--format', 'json', ...rest], 1);
      expect(a.status, a.stderr).toBe(0);
      const figures = (text: string) => {
        const { meta, ...rest } = JSON.parse(text) as { meta: Record<string, unknown> };
        return { ...rest, coverage: meta.coverage, suppressed: meta.suppressed_groups };
      };
      expect(figures(b.stdout), command.join(' ')).toEqual(figures(a.stdout));
    }
  });

  it('quoted comment cells of many lines and kilobytes across block edges', async () => {
    const file = join(dir, 'comments.csv');
    writeFileSync(file, longExport({ comments: true }));
    // (Reading is the same for every command: gap for the figures, inspect for the accounting.)
    await same(file, [], ['gap', 'inspect']);
  });

  it('Windows-1252 with CRLF, and a byte-order mark with bare CR line ends', async () => {
    const text = longExport();
    const cp = join(dir, 'cp1252.csv');
    writeFileSync(cp, Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1'));
    await same(cp, [], ['gap', 'inspect']);
    const mac = join(dir, 'cr.csv');
    writeFileSync(mac, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r'), 'utf8')]));
    await same(mac, [], ['gap', 'inspect']);
  });

  it('background columns (--by nyanländ, --adjust-for): values per pupil and school year, rows that disagree across blocks, shuffled', async () => {
    // Nyanländ Ja/Nej, different in the two school years for some pupils and disagreeing within a
    // year for others (k % 31), Åtgärdsprogram as X or blank, a category column; rows shuffled so
    // a pupil's rows fall in different blocks and threads.
    const lines = longExport({ shuffle: true }).split('\n');
    const background = (row: string, i: number): string => {
      const [id = '', , , , , year = ''] = row.split(';');
      const k = Number(id.slice(-4)) + id.charCodeAt(6);
      const arrived = year === '2023/24' ? k % 5 === 0 : k % 4 === 0;
      const flipped = k % 31 === 0 && i % 2 === 0 ? !arrived : arrived;
      return `${row};${flipped ? 'Ja' : 'Nej'};${k % 6 === 0 ? 'X' : ''};${['förgymnasial', 'gymnasial', 'eftergymnasial', ''][k % 4]}`;
    };
    const text = [`${lines[0]};Nyanländ;Åtgärdsprogram;Föräldrarnas utbildningsnivå`, ...lines.slice(1).filter((line) => line !== '').map(background)].join('\n') + '\n';
    const file = join(dir, 'background.csv');
    writeFileSync(file, text);
    await same(file, ['--by', 'skola,nyanländ,kön'], ['gap', 'transition']);
    await same(file, ['--by', 'skola,föräldrarnas utbildningsnivå,åtgärdsprogram'], ['gap', 'transition']);
    for (const args of [
      ['gap', file, '--by', 'skola', '--adjust-for', 'nyanländ,åtgärdsprogram', '--format', 'csv'],
      ['gap', file, '--by', 'skola,nyanländ', '--excel'],
      ['gap', file, '--by', 'skola,nyanländ'],
    ]) {
      const one = await run(args, 1);
      const many = await run(args, 3);
      expect(one.status, one.stderr).toBe(0);
      expect(many.stdout).toBe(one.stdout);
      expect(many.stderr).toBe(one.stderr);
    }
    // Not vacuous: rows disagree, and both values and the categories are there.
    const json = JSON.parse((await run(['gap', file, '--format', 'json', '--min-group', '1', '--by', 'nyanländ'], 3)).stdout) as { rows: { bg_newly_arrived: string | null }[]; meta: { background: { dimensions: { conflicts: number }[] } } };
    expect(json.rows.map((row) => row.bg_newly_arrived)).toEqual([null, 'yes', 'no', '(okänd)']);
    expect(json.meta.background.dimensions[0]?.conflicts).toBeGreaterThan(5);
  });

  it('--school-years and a title above the header', async () => {
    const file = join(dir, 'titled.csv');
    writeFileSync(file, `Elevresultat\n\n${longExport()}`);
    // (transition has nothing to link inside 2024/25 alone.)
    await same(file, ['--school-years', '2024/25'], ['gap', 'inspect']);
  });
});
