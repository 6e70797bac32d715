import { describe, expect, it } from 'vitest';
import { normaliseSubject, subjectLookup, subjectName } from '../../src/normalise/subject.js';

describe('normaliseSubject: codes and names', () => {
  it.each([
    ['MA', 'MA'],
    ['ma', 'MA'],
    ['Matematik', 'MA'],
    ['matematik', 'MA'],
    ['MATEMATIK', 'MA'],
    ['Matte', 'MA'],
    ['Mathematics', 'MA'],
    [' Matematik ', 'MA'],
  ])('mathematics: %j → %s', (raw, code) => {
    expect(normaliseSubject(raw)).toBe(code);
  });

  it.each([
    ['Svenska som andraspråk', 'SVA'],
    ['svenska som andrasprak', 'SVA'],
    ['SVA', 'SVA'],
    ['sv2', 'SVA'],
    ['Sv2', 'SVA'],
    ['Swedish as a second language', 'SVA'],
  ])('svenska som andraspråk: %j → %s', (raw, code) => {
    expect(normaliseSubject(raw)).toBe(code);
  });

  it.each([
    ['Svenska', 'SV'],
    ['SV', 'SV'],
    ['SVE', 'SV'],
  ])('svenska: %j → %s', (raw, code) => {
    expect(normaliseSubject(raw)).toBe(code);
  });

  it.each([
    ['Eng', 'EN'],
    ['ENG', 'EN'],
    ['engelska', 'EN'],
    ['EN', 'EN'],
    ['English', 'EN'],
  ])('engelska: %j → %s', (raw, code) => {
    expect(normaliseSubject(raw)).toBe(code);
  });

  it.each([
    ['Idrott och hälsa', 'IDH'],
    ['IDROTT OCH HÄLSA', 'IDH'],
    ['Idrott och halsa', 'IDH'],
    ['IDH', 'IDH'],
    ['Hem- och konsumentkunskap', 'HKK'],
    ['Slöjd', 'SL'],
    ['Textilslöjd', 'SL'],
    ['Samhällskunskap', 'SH'],
  ])('other subjects: %j → %s', (raw, code) => {
    expect(normaliseSubject(raw)).toBe(code);
  });
});

describe('normaliseSubject: language subjects keep their language code', () => {
  it('"M2 GER" → "M2 GER"', () => {
    expect(normaliseSubject('M2 GER')).toBe('M2 GER');
  });

  it('"M2-TYS" → "M2 TYS"', () => {
    expect(normaliseSubject('M2-TYS')).toBe('M2 TYS');
  });

  it('lower case and no separator: "m1spa" → "M1 SPA"', () => {
    expect(normaliseSubject('m1spa')).toBe('M1 SPA');
  });

  it('"ML ARA" → "ML ARA"', () => {
    expect(normaliseSubject('ML ARA')).toBe('ML ARA');
  });

  it('"Modersmal ARA" (no diacritics) → "ML ARA"', () => {
    expect(normaliseSubject('Modersmal ARA')).toBe('ML ARA');
  });

  it('"Modersmål ARA" (as Swedish exports write it) → "ML ARA"', () => {
    expect(normaliseSubject('Modersmål ARA')).toBe('ML ARA');
  });

  it('a bare "M2" is the subject code itself', () => {
    expect(normaliseSubject('M2')).toBe('M2');
  });
});

describe('normaliseSubject: unknown', () => {
  it.each(['Xyz', '', '   ', 'Matematik 2', 'Latin'])('%j → null', (raw) => {
    expect(normaliseSubject(raw)).toBeNull();
  });
});

describe('subjectLookup: names from the config file', () => {
  const lookup = subjectLookup({ 'Matte åk 6': 'MA', 'Franska (språkval)': ' m2 fra ' });

  it('maps a config name, folded', () => {
    expect(lookup('MATTE ÅK 6')).toBe('MA');
  });

  it('upper-cases and trims the configured code', () => {
    expect(lookup('Franska (språkval)')).toBe('M2 FRA');
  });

  it('still knows the built-in names', () => {
    expect(lookup('Engelska')).toBe('EN');
  });

  it('unknown stays null', () => {
    expect(lookup('Latin')).toBeNull();
  });

  it('a config name wins over a built-in one', () => {
    expect(subjectLookup({ Svenska: 'SVA' })('Svenska')).toBe('SVA');
  });

  it('with no config names behaves like normaliseSubject', () => {
    expect(subjectLookup()('Matematik')).toBe('MA');
  });
});

describe('subjectName', () => {
  it('Swedish name by default', () => {
    expect(subjectName('MA')).toBe('Matematik');
  });

  it('English name', () => {
    expect(subjectName('SVA', 'en')).toBe('Swedish as a second language');
  });

  it('language subject shows the language code (sv)', () => {
    expect(subjectName('M2 GER')).toBe('Moderna språk, språkval (GER)');
  });

  it('language subject shows the language code (en)', () => {
    expect(subjectName('ML ARA', 'en')).toBe('Mother tongue (ARA)');
  });

  it('an unknown code is shown as it is', () => {
    expect(subjectName('XX')).toBe('XX');
  });
});
