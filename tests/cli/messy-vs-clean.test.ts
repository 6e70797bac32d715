/**
 * The same results written once clean (UTF-8, comma, the tool's own key names, 12-digit ids,
 * "2024/25", subject codes) and once as real systems write them (Windows-1252 with CRLF, UTF-8
 * with BOM, tab-separated long format, Swedish headers, 10-digit ids with dash, VT25, Provår 2025,
 * subject names, quoted fields, blank lines) must give exactly the same figures.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn } from './run.js';

// Every run is in-process (runIn); none needs a real process.

interface Result {
  id12: string;
  school: string;
  area: string;
  level: 6 | 9;
  startYear: number;
  subject: 'MA' | 'SV' | 'EN';
  grade: string;
  test: string;
  gender: 'Flicka' | 'Pojke';
}

const NAMES: Record<Result['subject'], string> = { MA: 'Matematik', SV: 'Svenska', EN: 'Engelska' };
const SCHOOLS = [
  ['Åsens skola', 'Norra'],
  ['Ängens skola', 'Södra'],
  ['Ölands skola', 'Södra'],
] as const;

/** A small deterministic data set (linear congruential generator, no Math.random). */
function dataSet(): Result[] {
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const letters = 'FEDCBA';
  const out: Result[] = [];
  for (let p = 0; p < 90; p++) {
    const [school, area] = SCHOOLS[p % 3]!;
    const level = p < 60 ? 6 : 9;
    const startYear = p % 2 === 0 ? 2023 : 2024;
    const born = startYear - level - 6;
    const id12 = `${born}0${1 + (p % 9)}${String(10 + (p % 18)).padStart(2, '0')}${String(100 + p).slice(-3)}${p % 10}`;
    for (const subject of ['MA', 'SV', 'EN'] as const) {
      const t = next(6);
      const g = Math.max(0, Math.min(5, t + [0, 0, 1, -1, 0, 1][next(6)]!));
      out.push({ id12, school, area, level, startYear, subject, grade: letters[g]!, test: letters[t]!, gender: p % 2 ? 'Flicka' : 'Pojke' });
    }
  }
  return out;
}

function label(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

describe('messy exports give exactly the figures of the same data written clean', () => {
  const data = dataSet();
  const dir = mkdtempSync(join(tmpdir(), 'ska-messy-'));

  // Clean: one wide file, tool's own keys.
  const clean = ['student_id,school,area,grade_level,school_year,subject,gender,grade,test'];
  for (const r of data) clean.push([r.id12, r.school, r.area, r.level, label(r.startYear), r.subject, r.gender === 'Flicka' ? 'girl' : 'boy', r.grade, r.test].join(','));
  writeFileSync(join(dir, 'clean.csv'), `${clean.join('\n')}\n`);

  // Messy 1: teacher grades, Windows-1252, semicolons, CRLF, 10-digit ids with dash, "2024/2025", names.
  const grades = ['Elevens personnummer;Förnamn;Skola;Skolområde;Åk;Läsår;Ämne;Terminsbetyg;Kön'];
  for (const r of data) grades.push([`${r.id12.slice(2, 8)}-${r.id12.slice(8)}`, 'Kim', r.school, r.area, `Åk ${r.level}`, `${r.startYear}/${r.startYear + 1}`, NAMES[r.subject], ` ${r.grade.toLowerCase()} `, r.gender].join(';'));
  writeFileSync(join(dir, 'betyg.csv'), Buffer.from(`${grades.join('\r\n')}\r\n\r\n`, 'latin1'));

  // Messy 2: år 6 tests, UTF-8 with BOM, commas, quoted fields, 12-digit ids without separator, bare year.
  const tests6 = ['"Elev-ID","Skolenhet","Årskurs","Provår","Ämne","Provbetyg"'];
  for (const r of data.filter((x) => x.level === 6)) tests6.push([r.id12, r.school, r.level, r.startYear + 1, r.subject.toLowerCase(), r.test].map((v) => `"${v}"`).join(','));
  writeFileSync(join(dir, 'np6.csv'), `\uFEFF${tests6.join('\n')}\n`);

  // Messy 3: år 9 tests, long format, tab-separated, 12-digit ids with dash, VT25, kind column.
  const tests9 = ['Personnummer\tSkola\tÅrskurs\tTermin\tÄmne\tTyp\tResultat'];
  for (const r of data.filter((x) => x.level === 9)) tests9.push([`${r.id12.slice(0, 8)}-${r.id12.slice(8)}`, r.school, r.level, `VT${String(r.startYear + 1).slice(2)}`, r.subject === 'EN' ? 'ENG' : r.subject, 'Nationellt prov', r.test].join('\t'));
  writeFileSync(join(dir, 'np9.tsv'), `${tests9.join('\n')}\n`);

  it('row for row, figure for figure', async () => {
    const by = ['--by', 'school_year,grade_level,area,school,subject,gender', '--min-group', '5', '--format', 'json', '--quiet'];
    const cleanRun = await runIn(['gap', join(dir, 'clean.csv'), ...by]);
    const messyRun = await runIn(['gap', join(dir, 'betyg.csv'), join(dir, 'np6.csv'), join(dir, 'np9.tsv'), ...by]);
    expect(cleanRun.status).toBe(0);
    expect(messyRun.status).toBe(0);
    const cleanRows = (JSON.parse(cleanRun.stdout) as { rows: unknown[] }).rows;
    const messyRows = (JSON.parse(messyRun.stdout) as { rows: { n: number | null }[] }).rows;
    expect(messyRows.length).toBeGreaterThan(20);
    expect(messyRows.some((row) => row.n === 30)).toBe(true);
    expect(messyRows).toEqual(cleanRows);
  });

  it('the messy files were read as what they are', async () => {
    const result = await runIn(['inspect', join(dir, 'betyg.csv'), join(dir, 'np6.csv'), join(dir, 'np9.tsv'), '--format', 'json']);
    expect(result.status).toBe(0);
    const files = (JSON.parse(result.stdout) as { files: { encoding: string; bom: boolean; delimiter: string; layout: string; rows: { read: number; rejected: number } }[] }).files;
    expect(files.map((f) => [f.encoding, f.bom, f.delimiter, f.layout])).toEqual([
      ['windows-1252', false, 'semicolon', 'wide'],
      ['utf-8', true, 'comma', 'wide'],
      ['utf-8', false, 'tab', 'long'],
    ]);
    expect(files.every((f) => f.rows.rejected === 0)).toBe(true);
    expect(result.stdout).not.toContain('Kim');
  });
});
