/**
 * The pure parts of report --school / --per-school: which school a name means, the files'
 * names, and the linear-algebra check that decides which receiving-school rows can be shown.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveSchool, schoolFileNames } from '../../src/commands/report-school.js';
import { Span } from '../../src/commands/school-transition.js';

describe('resolveSchool', () => {
  const schools = ['Ekbackens skola', 'Åsskolan', 'Asskolan', 'Solåsens skola'];

  it('matches case-, space-, punctuation- and diacritic-insensitively', () => {
    expect(resolveSchool('EKBACKENS SKOLA', schools)).toBe('Ekbackens skola');
    expect(resolveSchool('ekbäckens-skola', schools)).toBe('Ekbackens skola');
    expect(resolveSchool('  Solasens   Skola ', schools)).toBe('Solåsens skola');
  });

  it('an exact spelling wins where two schools fold alike; otherwise both are named (exit 2)', () => {
    expect(resolveSchool('Åsskolan', schools)).toBe('Åsskolan');
    expect(resolveSchool('Asskolan', schools)).toBe('Asskolan');
    expect(() => resolveSchool('ASSKOLAN', schools)).toThrow(UsageError);
    expect(() => resolveSchool('ASSKOLAN', schools)).toThrow('--school "ASSKOLAN": 2 schools have that name when case, spaces and accents are ignored: "Åsskolan", "Asskolan"');
  });

  it('an unknown name lists the closest first: containing what was typed, then by edit distance', () => {
    expect(() => resolveSchool('Solåsen', schools)).toThrow('closest: "Solåsens skola"');
    expect(() => resolveSchool('Ekbakens skola', schools)).toThrow('closest: "Ekbackens skola"');
    expect(() => resolveSchool('Zeta', schools)).toThrow('they hold: "Ekbackens skola", "Åsskolan", "Asskolan", "Solåsens skola"');
    expect(() => resolveSchool('Zeta', [])).toThrow('--school "Zeta": the exports name no school');
  });
});

describe('schoolFileNames', () => {
  it('ASCII letters, digits and hyphens only: no folder, no hidden file, no device name', () => {
    const names = schoolFileNames(['Östervångsskolan', '../../etc/passwd', '.hemlig', 'CON', 'Ærøskolan', '日本語', 'Skola 4–9 (Centrum)'], 'html');
    expect(Object.fromEntries(names)).toEqual({
      'Östervångsskolan': 'ostervangsskolan.html',
      '../../etc/passwd': 'etc-passwd.html',
      '.hemlig': 'hemlig.html',
      CON: 'con-skola.html',
      'Ærøskolan': 'aeroskolan.html',
      '日本語': 'skola.html',
      'Skola 4–9 (Centrum)': 'skola-4-9-centrum.html',
    });
    for (const name of names.values()) expect(name).toMatch(/^[a-z0-9][a-z0-9-]*\.html$/);
  });

  it('gives names two schools would share -2, -3 … in Swedish name order, never another school\'s own name, whatever order they come in', () => {
    const schools = ['Åsskolan', 'Asskolan', 'ASSKOLAN', 'Asskolan 2', 'asskolan-2'];
    const names = schoolFileNames(schools, 'md');
    expect(new Set(names.values()).size).toBe(schools.length);
    expect(Object.fromEntries(names)).toEqual(Object.fromEntries(schoolFileNames([...schools].reverse(), 'md')));
    expect(names.get('Asskolan 2')).toBe('asskolan-2.md');
    expect([...names.values()].sort()).toEqual(['asskolan-2-2.md', 'asskolan-2.md', 'asskolan-3.md', 'asskolan-4.md', 'asskolan.md']);
  });

  it('cuts a very long name to 80 characters', () => {
    const name = schoolFileNames(['Kommunala grundskolan för elever i årskurs sju till nio i den norra delen av kommunen vid sjön'], 'html');
    expect([...name.values()][0]!.length).toBeLessThanOrEqual(85);
  });
});

describe('Span', () => {
  const v = (...xs: number[]) => Float64Array.from(xs);

  it('says whether a vector is a combination of the published rows', () => {
    // Cells: Ask→Ceder, Björk→Ceder, Björk→Dal. Rows: Ask, Björk, Ceder.
    const span = new Span(3);
    span.add(v(1, 0, 0));
    span.add(v(0, 1, 1));
    expect(span.contains(v(0, 1, 0))).toBe(false);
    span.add(v(1, 1, 0));
    // Ceder − Ask: the Björk→Ceder cell.
    expect(span.contains(v(0, 1, 0))).toBe(true);
    expect(span.contains(v(0, 0, 1))).toBe(true);
  });

  it('a cycle of flows leaves every single flow undetermined', () => {
    // Cells: A→C, A→D, B→C, B→D; rows A, B, C, D (one of them redundant).
    const span = new Span(4);
    for (const row of [v(1, 1, 0, 0), v(0, 0, 1, 1), v(1, 0, 1, 0), v(0, 1, 0, 1)]) span.add(row);
    for (let k = 0; k < 4; k++) expect(span.contains(Float64Array.from({ length: 4 }, (_, i) => (i === k ? 1 : 0)))).toBe(false);
    expect(span.contains(v(1, 1, 1, 1))).toBe(true);
  });
});
