import { describe, expect, it } from 'vitest';
import { assessmentParser } from '../../src/normalise/assessment.js';

const parse = assessmentParser();

describe('assessments: Stockholm numbers -1/0/1/2', () => {
  it('-1 is a missing omdöme, not a fail', () => {
    expect(parse('-1')).toEqual({ status: 'missing' });
  });

  it('" -1 " with spaces is missing', () => {
    expect(parse(' -1 ')).toEqual({ status: 'missing' });
  });

  it('−1 written with the minus sign (U+2212, as the Swedish locale formats negatives) is missing', () => {
    expect(parse('\u22121')).toEqual({ status: 'missing' });
  });

  it('0 → fail', () => {
    expect(parse('0')).toEqual({ status: 'value', pass: false, step: null, label: 'ej godtagbar' });
  });

  it('1 → pass (godtagbar)', () => {
    expect(parse('1')).toEqual({ status: 'value', pass: true, step: null, label: 'godtagbar' });
  });

  it('2 → pass (mer än godtagbar)', () => {
    expect(parse('2')).toEqual({ status: 'value', pass: true, step: null, label: 'mer än godtagbar' });
  });

  it('3 is not on the scale', () => {
    expect(parse('3')).toEqual({ status: 'invalid' });
  });
});

describe('assessments: three-level words', () => {
  it.each(['Ej nått E-nivå', 'EJ NÅTT E-NIVÅ', 'Ej natt E niva', 'Når ännu inte godtagbar kunskapsnivå'])('%j → fail', (raw) => {
    expect(parse(raw)).toEqual({ status: 'value', pass: false, step: null, label: 'ej godtagbar' });
  });

  it.each(['Godtagbara kunskaper', 'godtagbar'])('%j → pass (godtagbar)', (raw) => {
    expect(parse(raw)).toEqual({ status: 'value', pass: true, step: null, label: 'godtagbar' });
  });

  it.each(['Mer än godtagbara kunskaper', 'mer an godtagbar'])('%j → pass (mer än godtagbar)', (raw) => {
    expect(parse(raw)).toEqual({ status: 'value', pass: true, step: null, label: 'mer än godtagbar' });
  });
});

describe('assessments: pass/fail words', () => {
  it.each(['Uppnått', 'Når', 'Godkänd', 'Ja', 'JA'])('%j → pass', (raw) => {
    expect(parse(raw)).toEqual({ status: 'value', pass: true, step: null, label: 'uppnått' });
  });

  it.each(['Ej uppnått', 'Når ej', 'Ej godkänd', 'Nej'])('%j → fail', (raw) => {
    expect(parse(raw)).toEqual({ status: 'value', pass: false, step: null, label: 'ej uppnått' });
  });
});

describe('assessments: A–F', () => {
  it('E passes and keeps its step', () => {
    expect(parse('E')).toEqual({ status: 'value', pass: true, step: 1, label: 'E' });
  });

  it('a lower-case a passes with step 5 and an upper-case label', () => {
    expect(parse(' a ')).toEqual({ status: 'value', pass: true, step: 5, label: 'A' });
  });

  it('F fails with step 0', () => {
    expect(parse('F')).toEqual({ status: 'value', pass: false, step: 0, label: 'F' });
  });

  it('the old scale (VG) is not an assessment', () => {
    expect(parse('VG')).toEqual({ status: 'invalid' });
  });
});

describe('assessments: missing', () => {
  it.each(['', '  ', '-', '–', 'Saknas', 'Omdöme saknas', 'Ej bedömd', 'N/A'])('%j → missing', (raw) => {
    expect(parse(raw)).toEqual({ status: 'missing' });
  });

  it('streck written as an em dash (a streck variant for grades) is missing too', () => {
    expect(parse('—')).toEqual({ status: 'missing' });
  });
});

describe('assessments: unknown', () => {
  it.each(['kanske', 'Bra', '5', 'C+'])('%j → invalid', (raw) => {
    expect(parse(raw)).toEqual({ status: 'invalid' });
  });
});

describe('assessments: an ordinal scale from the config', () => {
  const scaled = assessmentParser({
    labels: ['Röd', 'Gul', 'Grön'],
    passing: ['Gul', 'Grön'],
    missing: ['Ej bedömd ännu', 'X'],
  });

  it('a passing label passes, keeping the label as configured', () => {
    expect(scaled('gul')).toEqual({ status: 'value', pass: true, step: null, label: 'Gul' });
  });

  it('a label not in passing fails', () => {
    expect(scaled('RÖD')).toEqual({ status: 'value', pass: false, step: null, label: 'Röd' });
  });

  it('a configured missing label is missing', () => {
    expect(scaled('x')).toEqual({ status: 'missing' });
  });

  it('a longer configured missing label is missing', () => {
    expect(scaled('Ej bedömd ännu')).toEqual({ status: 'missing' });
  });

  it('the built-in scales still apply after the config scale', () => {
    expect(scaled('Uppnått')).toEqual({ status: 'value', pass: true, step: null, label: 'uppnått' });
  });

  it('an unknown label is invalid', () => {
    expect(scaled('Blå')).toEqual({ status: 'invalid' });
  });

  it('a config scale is tried before the built-in ones ("1" lowest on a 1–4 scale fails)', () => {
    const numeric = assessmentParser({ labels: ['1', '2', '3', '4'], passing: ['3', '4'] });
    expect(numeric('1')).toEqual({ status: 'value', pass: false, step: null, label: '1' });
  });

  it('-1 stays missing even with a config scale', () => {
    const numeric = assessmentParser({ labels: ['1', '2', '3', '4'], passing: ['3', '4'] });
    expect(numeric('-1')).toEqual({ status: 'missing' });
  });
});
