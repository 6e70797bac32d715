/**
 * One language: Swedish by default everywhere the user reads (help, commander's own words, every
 * message on stderr), English with --lang en.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import { gapColumnNames } from '../../src/render/gap.js';
import { transitionColumnNames } from '../../src/render/transition.js';
import { trendColumnNames } from '../../src/render/trend.js';
import { DIMENSIONS } from '../../src/types.js';
import { Collector, runIn } from './run.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];

function program(lang: 'sv' | 'en'): Command {
  return buildProgram({ stdout: new Collector(), stderr: new Collector(), stdin: (async function* () {})(), env: {} }, { code: 0 }, lang);
}

/** Every command's options: flags → description. */
function optionTexts(lang: 'sv' | 'en'): Map<string, string> {
  const out = new Map<string, string>();
  for (const command of program(lang).commands) for (const option of command.options) out.set(`${command.name()} ${option.flags}`, option.description);
  return out;
}

/**
 * English words that have no place in a Swedish text (none of them is also a Swedish word). Flags,
 * quoted values, keys (--by's and --columns' among them), choices and command names are taken out
 * first: they are what the user types, in any language.
 */
const ENGLISH = new Set(
  'the of and with for or default choices usage options commands arguments display output number file files group groups pupils grades school schools year years when than every only each is are an see run show write read missing unknown invalid error expected allowed did you mean too many required not given cannot found which must'.split(
    ' ',
  ),
);

const KEYS = new Set<string>([...DIMENSIONS, ...[...gapColumnNames(), ...transitionColumnNames(), ...trendColumnNames()].map((column) => column.key)]);

function englishWords(text: string): string[] {
  const stripped = text
    .replace(/"[^"\n]*"|'[^'\n]*'/g, ' ') // quoted values
    .replace(/(?:^|\s)-{1,2}[\w-]+(?: <[^>]+>)?/g, ' ') // flags, with their <value>
    .replace(/\b\w*_\w*\b/g, ' ') // keys: school_year, share_higher
    .replace(/\b(?:gap|transition|trend|report|init|inspect|help|points|steps|table|json|csv|html|md|assessment|grade|test|from|to)\b/g, ' ');
  return (stripped.match(/[A-Za-zÅÄÖåäö]+/g) ?? []).filter((word) => !KEYS.has(word)).map((word) => word.toLowerCase()).filter((word) => ENGLISH.has(word));
}

/** The same command line with --lang en right after the command (an option's value never swallows it there). */
function withEnglish(args: readonly string[]): string[] {
  return [args[0] ?? '', '--lang', 'en', ...args.slice(1)];
}

describe('--help', () => {
  it('is Swedish by default, commander\'s words included, for the program and for a command', async () => {
    const top = await runIn(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^Användning: ska-analyze \[flaggor\] \[kommando\]\n/);
    expect(top.stdout).toContain('\nFlaggor:\n');
    expect(top.stdout).toContain('\nKommandon:\n');
    expect(top.stdout).toMatch(/\n {2}-V, --version +visa versionsnumret\n/);
    expect(top.stdout).toMatch(/\n {2}gap \[flaggor\] <filer\.\.\.> +lärarnas betyg \(terminsbetyg\) mot provbetygen/);
    expect(top.stdout).toMatch(/\n {2}help \[kommando\] +visa hjälpen för ett kommando\n/);
    const gap = await runIn(['gap', '--help']);
    expect(gap.stdout).toMatch(/^Användning: ska-analyze gap \[flaggor\] <filer\.\.\.>\n/);
    expect(gap.stdout).toContain('\nArgument:\n  filer ');
    const flat = gap.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('--min-group <n> grupper med färre elever visar inga siffror (standard 10)');
    expect(flat).toContain('--lang <lang> språk för rapporten, meddelandena och hjälpen (värden: "sv", "en"; standard: "sv")');
    expect(flat).toContain('-h, --help visa hjälpen för kommandot');
  });

  it('is English with --lang en (or --lang=en), for the program and for a command', async () => {
    const top = await runIn(['--help', '--lang', 'en']);
    expect(top.stdout).toMatch(/^Usage: ska-analyze \[options\] \[command\]\n/);
    expect(top.stdout).toContain('\nOptions:\n');
    expect(top.stdout).toContain('\nCommands:\n');
    expect(top.stdout).toMatch(/\n {2}-V, --version +output the version number\n/);
    expect(top.stdout).toMatch(/\n {2}help \[command\] +display help for command\n/);
    const gap = await runIn(['gap', '--help', '--lang=en']);
    expect(gap.stdout).toMatch(/^Usage: ska-analyze gap \[options\] <files\.\.\.>\n/);
    expect(gap.stdout).toContain('\nArguments:\n  files ');
    const flat = gap.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('--min-group <n> groups with fewer pupils show no figures (default 10)');
    expect(flat).toContain('--lang <lang> language of the report, the messages and this help (choices: "sv", "en", default: "sv")');
    expect(flat).toContain('-h, --help display help for command');
  });

  it('every option, command and argument has its own Swedish text, different from the English', () => {
    const sv = optionTexts('sv');
    const en = optionTexts('en');
    expect(sv.size).toBeGreaterThan(100);
    expect([...sv.keys()]).toEqual([...en.keys()]);
    const same = [...sv].filter(([flags, text]) => text === en.get(flags)).map(([flags]) => flags);
    expect(same).toEqual([]);
    const [svProgram, enProgram] = [program('sv'), program('en')];
    expect(svProgram.description()).not.toBe(enProgram.description());
    svProgram.commands.forEach((command, i) => {
      const english = enProgram.commands[i];
      expect(command.description(), command.name()).not.toBe(english?.description());
      expect(command.registeredArguments.map((a) => a.description)).not.toEqual(english?.registeredArguments.map((a) => a.description));
    });
  });

  it('has no English words left in Swedish, in the help of every command (and the check finds them in English)', () => {
    const sv = program('sv');
    const en = program('en');
    const helps = (p: Command) => [p.helpInformation(), ...p.commands.map((command) => command.helpInformation())];
    for (const text of helps(sv)) expect(englishWords(text), text.split('\n')[0]).toEqual([]);
    // The check can fail: the English help is full of such words.
    for (const text of helps(en)) expect(englishWords(text).length, text.split('\n')[0]).toBeGreaterThan(2);
  });
});

describe('commander\'s errors', () => {
  it('an unknown option, Swedish by default and English with --lang en, exit 2 either way', async () => {
    const sv = await runIn(['gap', ...DEMO, '--matris']);
    expect(sv.status).toBe(2);
    expect(sv.stdout).toBe('');
    expect(sv.stderr).toBe("fel: okänd flagga '--matris'\n(Menade du --matrix?)\n(kör med --help för att se hur kommandot används)\n");
    const en = await runIn(['gap', ...DEMO, '--matris', '--lang', 'en']);
    expect(en.status).toBe(2);
    expect(en.stderr).toBe("error: unknown option '--matris'\n(Did you mean --matrix?)\n(run with --help for usage)\n");
  });

  it('an unknown command, a missing argument, a missing option value and an invalid choice, in both languages', async () => {
    const cases: [string[], string, string][] = [
      [['gapp'], "fel: okänt kommando 'gapp'\n(Menade du gap?)", "error: unknown command 'gapp'\n(Did you mean gap?)"],
      [['gap'], "fel: argumentet 'filer' saknas", "error: missing required argument 'files'"],
      [['gap', ...DEMO, '--by'], "fel: flaggan '--by <dims>' saknar sitt värde", "error: option '--by <dims>' argument missing"],
      [['gap', ...DEMO, '--format', 'pdf'], "fel: flaggan '--format <format>' kan inte ha värdet 'pdf'. Möjliga värden är table, json, csv.", "error: option '--format <format>' argument 'pdf' is invalid. Allowed choices are table, json, csv."],
    ];
    for (const [args, sv, en] of cases) {
      const swedish = await runIn(args);
      expect(swedish.status, args.join(' ')).toBe(2);
      expect(swedish.stderr).toBe(`${sv}\n(kör med --help för att se hur kommandot används)\n`);
      const english = await runIn(withEnglish(args));
      expect(english.status, args.join(' ')).toBe(2);
      expect(english.stderr).toBe(`${en}\n(run with --help for usage)\n`);
    }
    // An invalid --lang is no language: the message is in Swedish.
    expect((await runIn(['gap', ...DEMO, '--lang', 'de'])).stderr).toContain("fel: flaggan '--lang <lang>' kan inte ha värdet 'de'. Möjliga värden är sv, en.");
  });
});

describe('messages on stderr', () => {
  /** Mistakes a user makes, each stopping before (or soon after) the exports are read. */
  const MISTAKES: string[][] = [
    ['gap', 'finns-inte.csv'],
    ['gap', ...DEMO, '--min-group', '0'],
    ['gap', ...DEMO, '--alpha', '2'],
    ['gap', ...DEMO, '--encoding', 'ebcdic'],
    ['gap', ...DEMO, '--excel', '--format', 'json'],
    ['gap', ...DEMO, '--by', 'planet'],
    ['gap', ...DEMO, '--columns', 'planet'],
    ['gap', ...DEMO, '--wide', '--columns', 'n'],
    ['gap', ...DEMO, '--fail-on', 'planet>1'],
    ['gap', ...DEMO, '--fail-on', 'n>'],
    ['gap', ...DEMO, '--reference-unit', 'Ale'],
    ['gap', ...DEMO, '--school-years', '2030/31'],
    ['transition', ...DEMO, '--from', '6', '--to', '5'],
    ['transition', ...DEMO, '--from-kind', 'prov'],
    ['transition', ...DEMO, '--to', '12'],
    ['trend', 'fixtures/demo/exports/bedomningar_ak5.csv'],
  ];

  it.each(MISTAKES)('%s …: Swedish without English words by default, English with --lang en', async (...args) => {
    const sv = await runIn(args);
    const en = await runIn(withEnglish(args));
    expect(sv.status).toBeGreaterThanOrEqual(2);
    expect(en.status).toBe(sv.status);
    const lastSv = sv.stderr.trim().split('\n').at(-1) ?? '';
    const lastEn = en.stderr.trim().split('\n').at(-1) ?? '';
    expect(lastSv).toMatch(/^ska-analyze: /);
    expect(lastSv).not.toBe(lastEn);
    expect(englishWords(lastSv), lastSv).toEqual([]);
    expect(englishWords(lastEn).length, lastEn).toBeGreaterThan(0);
  });
});
