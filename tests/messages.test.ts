/**
 * The catalogue: every message in Swedish and English, messages built from messages keeping both.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { join, literal, MESSAGES, say, translator } from '../src/messages.js';

describe('messages', () => {
  it('each entry gives both languages, with the same file names and values in each', () => {
    expect(MESSAGES.noSuchFile('np.csv')).toEqual({ sv: 'np.csv: filen finns inte', en: 'np.csv: no such file' });
    expect(MESSAGES.toBeforeFrom(5, 6)).toEqual({ sv: '--to (5) måste vara en senare årskurs än --from (6)', en: '--to (5) must be a later grade level than --from (6)' });
    expect(MESSAGES.referenceLine.fieldCount(4, 7, true)).toEqual({
      sv: 'har 4 fält, rubrikraden har 7 (i en kommaavgränsad fil måste ett decimalkomma stå inom citattecken, eller använd ";")',
      en: 'has 4 fields, the header has 7 (in a comma-separated file a decimal comma must be in quotes, or use ";")',
    });
    expect(MESSAGES.compareRepeatedGroups('förra.json', 1, 'school_year,school')).toEqual({
      sv: '--compare-with förra.json: 1 rad upprepar en grupp från samma läsår, så filen är inte grupperad efter school_year,school som den säger',
      en: '--compare-with förra.json: 1 row repeats a group of the same school year, so the file is not grouped by school_year,school as it says',
    });
  });

  it('messages built from messages keep both languages (join, a reason inside a sentence, one message after another)', () => {
    const joined = join(MESSAGES.emptyFile('a.csv'), ' ', literal('(2)'));
    expect(joined).toEqual({ sv: 'a.csv: filen är tom (ingen rubrikrad) (2)', en: 'a.csv: the file is empty (no header line) (2)' });
    const failOn = MESSAGES.failOn(MESSAGES.conditionSyntax('25'), true);
    expect(failOn.sv).toBe('--fail-on: "25" är inte NYCKEL>TAL (jämförelser: > >= < <= = !=) (skriv decimaler med punkt: share_higher>0.25; kommatecken skiljer villkoren åt)');
    expect(failOn.en).toBe('--fail-on: "25" is not KEY>NUMBER (operators > >= < <= = !=) (write decimals with a point: share_higher>0.25; commas separate conditions)');
    const link = { fromLevel: 5, toLevel: 6, fromKind: 'assessment', toKind: 'test' };
    const both = MESSAGES.noPairsNorLinks(link);
    expect(both.sv).toBe(`${MESSAGES.noPairs().sv.slice(0, -1)}; och ${MESSAGES.noLinks(link).sv.replace('inga siffror: ', '')}`);
    expect(both.en).toBe(`${MESSAGES.noPairs().en.slice(0, -1)}; and ${MESSAGES.noLinks(link).en.replace('no figures: ', '')}`);
    const skipped = MESSAGES.referenceLinesSkipped('ref.csv', [
      { line: 5, reason: MESSAGES.referenceLine.noFigures() },
      { line: 9, reason: MESSAGES.referenceLine.notGradeLevel('"åk"', '"tio"') },
    ]);
    expect(skipped.sv).toBe('ref.csv: 2 rader används inte (rad 5: inga siffror (varje sifferkolumn är tom); rad 9: kolumnen "åk": "tio" är inte en årskurs (1–9))');
    expect(skipped.en).toBe('ref.csv: 2 lines not used (line 5: no figures (every figure column is empty); line 9: column "åk": "tio" is not an årskurs (1–9))');
  });

  it('commander\'s errors, including those the CLI tests cannot easily provoke', () => {
    expect(MESSAGES.commander.excessArguments('gap', 1, 3)).toEqual({
      sv: "fel: för många argument till 'gap'. Väntade 1 argument men fick 3.",
      en: "error: too many arguments for 'gap'. Expected 1 argument but got 3.",
    });
    expect(MESSAGES.commander.conflictingOption("option '--wide'", "option '--columns <keys>'")).toEqual({
      sv: "fel: flaggan '--wide' kan inte användas tillsammans med flaggan '--columns <keys>'",
      en: "error: option '--wide' cannot be used with option '--columns <keys>'",
    });
    expect(MESSAGES.commander.missingMandatoryOption('--to <level>').sv).toBe("fel: flaggan '--to <level>' måste anges");
  });

  it('an error keeps both texts; its message is the English one; the CLI says the run\'s language', () => {
    const error = new UsageError(MESSAGES.showIdsAlone());
    expect(error.message).toBe('--show-ids only works together with --list-cases');
    expect(say(error.text, 'sv')).toBe('--show-ids fungerar bara tillsammans med --list-cases');
    expect(translator('en')(error.text)).toBe(error.message);
    expect(say('as it is', 'sv')).toBe('as it is');
  });
});
