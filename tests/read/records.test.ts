/**
 * The one read path (src/read/records.ts): bytes → decoded, line-numbered records.
 *
 * Ported from the tests of the three readers it replaced (csv.ts's CsvParser, byte-csv.ts's
 * ByteCsvReader, decode.ts's decodeChunks): the same semantics, now checked on RecordReader and
 * readTextTable, with chunked reading compared against whole-buffer reading and, for a few
 * inputs, against records written out by hand or produced by a small reference parser below.
 * Then the reading bugs the redesign fixes (bare-CR line ends, long quoted comments, quotes that
 * never close, UTF-16 without a byte-order mark, the delimiter sniffed from more than one line).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENCODING_NAMES, decodeWindows1252, incompleteTail } from '../../src/read/decode.js';
import {
  MAX_QUOTED_BYTES,
  RecordReader,
  bytesOf,
  readFirstRecords,
  readTextTable,
  sniffDelimiter,
  sniffUtf16,
  unquote,
  type TextRecord,
  type TextTable,
} from '../../src/read/records.js';

// ---------------------------------------------------------------------------------------------
// Helpers

type Input = string | Uint8Array;

const toBytes = (input: Input): Buffer => (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input));
const bytes = (...values: number[]): Buffer => Buffer.from(values);
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

async function* chunksOf(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

function splitEvery(input: Input, size: number): Buffer[] {
  const all = toBytes(input);
  const parts: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) parts.push(all.subarray(i, i + size));
  return parts;
}

/** mulberry32: a small seeded generator, so "random" chunk sizes are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitRandom(input: Input, random: () => number, maxSize: number): Buffer[] {
  const all = toBytes(input);
  const parts: Buffer[] = [];
  for (let pos = 0; pos < all.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    parts.push(all.subarray(pos, pos + size));
    pos += size;
  }
  return parts;
}

type TableOptions = Parameters<typeof readTextTable>[1];

/** Read the input in the given pieces (one piece when `parts` is a string or bytes). */
function read(parts: Input | readonly Uint8Array[], options: TableOptions = {}): Promise<TextTable> {
  const list = typeof parts === 'string' || parts instanceof Uint8Array ? [toBytes(parts)] : parts;
  return readTextTable(chunksOf(list), options);
}

/** Records without the table around them, for short expectations. */
async function recordsOf(parts: Input | readonly Uint8Array[], options: TableOptions = {}): Promise<TextRecord[]> {
  return (await read(parts, options)).records;
}

/** Read the input whole, in 1-, 2-, 3-, 7- and 64-byte chunks and in seeded random chunks; all must agree. */
async function readEveryWay(input: Input, options: TableOptions = {}, rounds = 20): Promise<TextTable> {
  const whole = await read(input, options);
  for (const size of [1, 2, 3, 7, 64]) expect(await read(splitEvery(input, size), options), `${size}-byte chunks`).toEqual(whole);
  const random = seeded(toBytes(input).length);
  for (let round = 0; round < rounds; round++) expect(await read(splitRandom(input, random, 17), options), `random round ${round}`).toEqual(whole);
  return whole;
}

/**
 * A small RFC 4180 reference parser over a whole string, independent of the reader: fields split
 * on `delimiter` outside quotes, "" for a quote inside quotes, text after a closing quote kept,
 * LF or CRLF ends a record, records made only of spaces, tabs and delimiters are blank. Only for
 * inputs whose quotes all close (the random ones below).
 */
function referenceParse(text: string, delimiter: string): { records: TextRecord[]; blankLines: number } {
  const records: TextRecord[] = [];
  let blankLines = 0;
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error('referenceParse: a quote that never closes');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      }
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      fields.push(field);
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (fields.every((field) => /^[ \t\r\n]*$/.test(field))) blankLines++;
    else records.push({ fields, line: start });
  }
  return { records, blankLines };
}

/** A deterministic pseudo-random CSV with quotes, delimiters and line breaks inside fields. */
function randomCsv(seed: number, lineEnd?: '\n' | '\r\n'): string {
  let state = seed;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const pieces = ['Åsa', 'ö', 'a;b', 'say ""hi""', 'x\ny', ' ', '', '12', 'C', 'VT25', '2024/25', 'é€'];
  const lines: string[] = ['Personnummer;Ämne;Betyg;"Kommentar ""fri"""'];
  for (let r = 0; r < 60; r++) {
    const kind = next(10);
    if (kind === 0) {
      lines.push('');
      continue;
    }
    if (kind === 1) {
      lines.push(';;;');
      continue;
    }
    const fields: string[] = [];
    for (let f = 0; f < 4; f++) {
      const piece = pieces[next(pieces.length)] ?? '';
      const needsQuote = /[;"\n]/.test(piece) || next(4) === 0;
      fields.push(needsQuote ? `"${piece.replace(/"/g, '""')}"` : piece);
    }
    lines.push(fields.join(';'));
  }
  const end = lineEnd ?? (next(2) === 0 ? '\n' : '\r\n');
  return lines.join(end) + (next(2) === 0 ? end : '');
}

// ---------------------------------------------------------------------------------------------
// Ported from tests/read/csv.test.ts (CsvParser) and tests/read/byte-csv.test.ts (ByteCsvReader)

describe('sniffDelimiter', () => {
  it('semicolon', () => {
    expect(sniffDelimiter(['Personnummer;Skola;Ämne'])).toBe(';');
  });

  it('comma', () => {
    expect(sniffDelimiter(['Personnummer,Skola,Ämne'])).toBe(',');
  });

  it('tab', () => {
    expect(sniffDelimiter(['Personnummer\tSkola\tÄmne'])).toBe('\t');
  });

  it('pipe', () => {
    expect(sniffDelimiter(['Personnummer|Skola|Ämne'])).toBe('|');
  });

  it('ignores delimiters inside quotes', () => {
    expect(sniffDelimiter(['"Skola, namn","Ort, län";Ämne;Betyg'])).toBe(';');
  });

  it('falls back to ; for a single column, no lines or only blank lines', () => {
    expect(sniffDelimiter(['Personnummer'])).toBe(';');
    expect(sniffDelimiter([])).toBe(';');
    expect(sniffDelimiter(['', '   '])).toBe(';');
  });
});

describe('reading: delimiters', () => {
  it('splits on ;', async () => {
    expect(await recordsOf('a;b;c\n1;2;3\n')).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '2', '3'], line: 2 },
    ]);
  });

  it('splits on , and reports it', async () => {
    const table = await read('a,b\n1,2\n');
    expect(table.delimiter).toBe(',');
    expect(table.records.map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('splits on tab', async () => {
    const table = await read('a\tb\n1\t2\n');
    expect(table.delimiter).toBe('\t');
    expect(table.records.map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('sniffs the delimiter once for the file: a later line with more commas is still split on ;', async () => {
    // (The string parser took a delimiter argument; the one read path always sniffs, once.)
    const table = await read('a;b;c\n1;2;3\nx,y,z,w;1;2\n');
    expect(table.delimiter).toBe(';');
    expect(table.records[2]).toEqual({ fields: ['x,y,z,w', '1', '2'], line: 3 });
  });

  it('keeps every cell a string: leading zeros and school years untouched', async () => {
    expect((await recordsOf('id;år\n0012;2024/25\n'))[1]?.fields).toEqual(['0012', '2024/25']);
  });
});

describe('reading: RFC 4180 quoting', () => {
  it('a quoted field holds the delimiter', async () => {
    expect((await recordsOf('a;b\n"x;y";2\n'))[1]?.fields).toEqual(['x;y', '2']);
  });

  it('"" inside a quoted field is one quote', async () => {
    expect((await recordsOf('a;b\n"say ""hej""";2\n'))[1]?.fields).toEqual(['say "hej"', '2']);
  });

  it('an empty quoted field is an empty string', async () => {
    expect((await recordsOf('a;b;c\n1;"";3\n'))[1]?.fields).toEqual(['1', '', '3']);
  });

  it('a quoted field holds a line break; the record keeps its first line', async () => {
    expect((await recordsOf('a;b\n"Skola\nNorr";2\n'))[1]).toEqual({ fields: ['Skola\nNorr', '2'], line: 2 });
  });

  it('records after a multi-line field get their physical line numbers', async () => {
    const text = 'a;b\n"one\ntwo\nthree";1\nx;2\n"y";3\n';
    expect(await recordsOf(text)).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['one\ntwo\nthree', '1'], line: 2 },
      { fields: ['x', '2'], line: 5 },
      { fields: ['y', '3'], line: 6 },
    ]);
  });

  it('a CRLF inside a quoted field is kept and counted as one line', async () => {
    const text = 'a;b\r\n"x\r\ny";1\r\nz;2\r\n';
    expect(await recordsOf(text)).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\r\ny', '1'], line: 2 },
      { fields: ['z', '2'], line: 4 },
    ]);
  });

  it('text after a closing quote is kept (lenient, as Excel reads it)', async () => {
    expect((await recordsOf('a;b\n"x"y;2\n'))[1]?.fields).toEqual(['xy', '2']);
  });

  it('a quote inside an unquoted field is an ordinary character', async () => {
    expect((await recordsOf('a;b\n5"b;2\n'))[1]).toEqual({ fields: ['5"b', '2'], line: 2 });
  });

  it('an unterminated quote at the end of the file costs its own line (it used to take the rest)', async () => {
    const table = await read('a;b\n1;"open');
    expect(table.records).toEqual([{ fields: ['a', 'b'], line: 1 }]);
    expect(table.brokenQuotes).toEqual([2]);
  });
});

describe('reading: line ends and blank lines', () => {
  it('CRLF line ends leave no \\r in the last field', async () => {
    const table = await read('a;b\r\n1;2\r\n');
    expect(table.records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
    expect(table.lineEnd).toBe('crlf');
  });

  it('a last line without a newline is read', async () => {
    expect((await recordsOf('a;b\n1;2'))[1]).toEqual({ fields: ['1', '2'], line: 2 });
  });

  it('a quoted last line without a newline is read', async () => {
    expect((await recordsOf('a;b\n"1";2'))[1]).toEqual({ fields: ['1', '2'], line: 2 });
    expect((await recordsOf('a;b\n1;"2"'))[1]).toEqual({ fields: ['1', '2'], line: 2 });
  });

  it('blank lines and ;;;; lines are skipped and counted; line numbers still count them', async () => {
    const table = await read('a;b\n\n1;2\n;;;;\n  \n3;4\n;"";\n5;6\n');
    expect(table.records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 3 },
      { fields: ['3', '4'], line: 6 },
      { fields: ['5', '6'], line: 8 },
    ]);
    expect(table.blankLines).toBe(4);
  });

  it('keepBlank hands blank lines on as empty records with their line numbers (and still counts them)', async () => {
    const table = await read('a;b\n\n1;2\n;;;;\n;"";\n', { keepBlank: true });
    expect(table.records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: [], line: 2 },
      { fields: ['1', '2'], line: 3 },
      { fields: [], line: 4 },
      { fields: [], line: 5 },
    ]);
    expect(table.blankLines).toBe(3);
  });

  it('blank lines before the header are counted and do not decide the delimiter', async () => {
    const table = await read('\n\r\na,b\n1,2\n');
    expect(table.delimiter).toBe(',');
    expect(table.records[0]).toEqual({ fields: ['a', 'b'], line: 3 });
    expect(table.blankLines).toBe(2);
  });

  it('an empty input gives no records', async () => {
    expect(await read('')).toEqual({
      records: [],
      delimiter: ';',
      info: { encoding: 'ascii', bom: false, replaced: false },
      lineEnd: 'none',
      blankLines: 0,
      brokenQuotes: [],
    });
    expect(await read([])).toEqual(await read(''));
  });
});

describe('reading: chunk boundaries', () => {
  const text = [
    'Personnummer;Skola;Ämne;Betyg',
    '201304129826;"Älvskolan; Norr";MA;C',
    '',
    '201304129818;"Skola ""Ek""\r\nmed radbrytning";EN;B',
    ';;;',
    '201304729823;Björkskolan;SV;-',
    '"201304129826";"a\nb\nc";"SVA";""',
    'last;line;without;newline',
  ].join('\r\n');
  const utf8 = Buffer.from(text, 'utf8');
  const expected: TextRecord[] = [
    { fields: ['Personnummer', 'Skola', 'Ämne', 'Betyg'], line: 1 },
    { fields: ['201304129826', 'Älvskolan; Norr', 'MA', 'C'], line: 2 },
    { fields: ['201304129818', 'Skola "Ek"\r\nmed radbrytning', 'EN', 'B'], line: 4 },
    { fields: ['201304729823', 'Björkskolan', 'SV', '-'], line: 7 },
    { fields: ['201304129826', 'a\nb\nc', 'SVA', ''], line: 8 },
    { fields: ['last', 'line', 'without', 'newline'], line: 11 },
  ];

  it('the reference read (one chunk) is what the text says', async () => {
    const whole = await read(utf8);
    expect(whole.records).toEqual(expected);
    expect(whole.blankLines).toBe(2);
    expect(whole.info.encoding).toBe('utf-8');
  });

  it('1-byte chunks give the same records, lines and blank count', async () => {
    expect(await read(splitEvery(utf8, 1))).toEqual(await read(utf8));
  });

  it('2- and 3-byte chunks give the same result', async () => {
    const whole = await read(utf8);
    expect(await read(splitEvery(utf8, 2))).toEqual(whole);
    expect(await read(splitEvery(utf8, 3))).toEqual(whole);
  });

  it('a boundary between \\r and \\n gives the same result', async () => {
    const cut = utf8.indexOf('\r\n') + 1;
    expect(await read([utf8.subarray(0, cut), utf8.subarray(cut)])).toEqual(await read(utf8));
  });

  it('a boundary inside a quoted field, right after a "", gives the same result', async () => {
    const cut = utf8.indexOf('""Ek') + 1;
    expect(await read([utf8.subarray(0, cut), utf8.subarray(cut)])).toEqual(await read(utf8));
  });

  it('a boundary inside a multi-line quoted field gives the same result', async () => {
    const cut = utf8.indexOf('a\nb') + 2;
    expect(await read([utf8.subarray(0, cut), utf8.subarray(cut)])).toEqual(await read(utf8));
  });

  it('every single cut point gives the same result (including inside Ä, ö)', async () => {
    const whole = await read(utf8);
    for (let cut = 0; cut <= utf8.length; cut++) {
      expect(await read([utf8.subarray(0, cut), utf8.subarray(cut)]), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('random chunk sizes (seeded) give the same result', async () => {
    const whole = await read(utf8);
    const random = seeded(20250612);
    for (let round = 0; round < 200; round++) {
      expect(await read(splitRandom(utf8, random, 12)), `round ${round}`).toEqual(whole);
    }
  });

  it('empty chunks change nothing', async () => {
    const parts = [Buffer.alloc(0), ...splitEvery(utf8, 5).flatMap((chunk) => [chunk, Buffer.alloc(0)])];
    expect(await read(parts)).toEqual(await read(utf8));
  });
});

describe('reading: chunked against whole, and against a reference parser', () => {
  it('on random inputs in random chunk sizes', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const text = randomCsv(seed);
      const expected = referenceParse(text, ';');
      const whole = await read(text);
      expect(whole.records, `seed ${seed}`).toEqual(expected.records);
      expect(whole.blankLines, `seed ${seed}`).toBe(expected.blankLines);
      expect(whole.brokenQuotes).toEqual([]);
      let state = seed * 7919;
      const sizes = () => {
        state = (Math.imul(state, 48271) + 11) >>> 0;
        return 1 + (state % 17);
      };
      const parts: Buffer[] = [];
      const all = Buffer.from(text, 'utf8');
      for (let i = 0; i < all.length; ) {
        const size = sizes();
        parts.push(all.subarray(i, i + size));
        i += size;
      }
      expect(await read(parts), `seed ${seed}`).toEqual(whole);
    }
  });

  it('reads Windows-1252 bytes as text, whole or one byte at a time', async () => {
    const input = latin1('Skola;Ämne\nÖstra skolan;Svenska som andraspråk\n');
    for (const size of [1, 3, 1024]) {
      const table = await read(splitEvery(input, size));
      expect(table.info.encoding).toBe('windows-1252');
      expect(table.records).toEqual([
        { fields: ['Skola', 'Ämne'], line: 1 },
        { fields: ['Östra skolan', 'Svenska som andraspråk'], line: 2 },
      ]);
    }
  });

  it('reads Windows-1252 0x80–0x9F (en dash, euro, curly quotes) right, in the header and in cells', async () => {
    // "Skola–kod;Namn\nS:t Eriks – skolan;”Solen” €\n" in Windows-1252: 0x96 = –, 0x94 = ”, 0x80 = €.
    const input = Buffer.concat([
      latin1('Skola'), bytes(0x96), latin1('kod;Namn\nS:t Eriks '), bytes(0x96),
      latin1(' skolan;'), bytes(0x94), latin1('Solen'), bytes(0x94, 0x20, 0x80, 0x0a),
    ]);
    for (const size of [1, 1024]) {
      const table = await read(splitEvery(input, size));
      expect(table.info.encoding).toBe('windows-1252');
      expect(table.records).toEqual([
        { fields: ['Skola–kod', 'Namn'], line: 1 },
        { fields: ['S:t Eriks – skolan', '”Solen” €'], line: 2 },
      ]);
    }
  });

  it('reads UTF-16LE with a byte-order mark, detected or forced', async () => {
    const input = Buffer.concat([bytes(0xff, 0xfe), Buffer.from('Skola\tÄmne\r\nÅsen\tMA\r\n', 'utf16le')]);
    const expected = [
      { fields: ['Skola', 'Ämne'], line: 1 },
      { fields: ['Åsen', 'MA'], line: 2 },
    ];
    const detected = await read(splitEvery(input, 5));
    expect(detected.info).toEqual({ encoding: 'utf-16le', bom: true, replaced: false });
    expect(detected.delimiter).toBe('\t');
    expect(detected.records).toEqual(expected);
    const forced = await read(splitEvery(input, 3), { encoding: 'utf-16le' });
    expect(forced.records).toEqual(expected);
    expect(forced.info.encoding).toBe('utf-16le');
  });
});

describe('unquote', () => {
  it('undoes RFC 4180 quoting and keeps text after the closing quote', () => {
    expect(unquote('"a""b"')).toBe('a"b');
    expect(unquote('"a;b"')).toBe('a;b');
    expect(unquote('"ab"cd')).toBe('abcd');
    expect(unquote('plain')).toBe('plain');
    expect(unquote('"open')).toBe('open');
  });
});

// ---------------------------------------------------------------------------------------------
// Ported from tests/read/decode.test.ts (decodeChunks): the encoding rule, seen through records

describe('encodings: UTF-8', () => {
  it('drops a UTF-8 byte-order mark and reports it', async () => {
    const table = await read(Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from('Skola;Åk\nÄlvskolan;6\n')]));
    expect(table.records).toEqual([
      { fields: ['Skola', 'Åk'], line: 1 },
      { fields: ['Älvskolan', '6'], line: 2 },
    ]);
    expect(table.info).toEqual({ encoding: 'utf-8', bom: true, replaced: false });
  });

  it('detects UTF-8 without a byte-order mark', async () => {
    const table = await read('Ämne;Omdöme\nSlöjd;Uppnått\n');
    expect(table.records.map((record) => record.fields)).toEqual([
      ['Ämne', 'Omdöme'],
      ['Slöjd', 'Uppnått'],
    ]);
    expect(table.info).toEqual({ encoding: 'utf-8', bom: false, replaced: false });
  });

  it('joins a multi-byte character split across chunks (å = C3 A5)', async () => {
    const table = await read([latin1('Sk'), bytes(0xc3), bytes(0xa5, 0x6c)]);
    expect(table.records).toEqual([{ fields: ['Skål'], line: 1 }]);
    expect(table.info.encoding).toBe('utf-8');
  });

  it('joins a three-byte character split after its first byte (– = E2 80 93)', async () => {
    const table = await read([bytes(0x61, 0xe2), bytes(0x80, 0x93, 0x62)]);
    expect(table.records).toEqual([{ fields: ['a–b'], line: 1 }]);
    expect(table.info.encoding).toBe('utf-8');
  });

  it('reports invalid bytes in a UTF-8 file as replaced (the first 64 bytes decided UTF-8)', async () => {
    const first = `å\n${'x\n'.repeat(40)}`;
    const table = await read([Buffer.from(first), bytes(0x61, 0xff, 0x62)]);
    expect(table.info).toEqual({ encoding: 'utf-8', bom: false, replaced: true });
    expect(table.records.map((record) => record.fields).at(0)).toEqual(['å']);
    expect(table.records.map((record) => record.fields).at(-1)).toEqual(['a\uFFFDb']);
  });
});

describe('encodings: ASCII and Windows-1252', () => {
  it('pure ASCII stays "ascii"', async () => {
    const table = await read([latin1('a;b\n'), latin1('1;2\n')]);
    expect(table.records.map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(table.info).toEqual({ encoding: 'ascii', bom: false, replaced: false });
  });

  it('decodes Windows-1252 bytes E5 E4 F6 as "åäö"', async () => {
    const table = await read(bytes(0x41, 0x3b, 0xe5, 0xe4, 0xf6, 0x0a));
    expect(table.records).toEqual([{ fields: ['A', 'åäö'], line: 1 }]);
    expect(table.info).toEqual({ encoding: 'windows-1252', bom: false, replaced: false });
  });

  it('decodes 0x96 (en dash in Windows-1252, not in ISO-8859-1) as "–"', async () => {
    const table = await read(bytes(0x2d, 0x96, 0x2d, 0xe5));
    expect(table.records).toEqual([{ fields: ['-–-å'], line: 1 }]);
    expect(table.info.encoding).toBe('windows-1252');
  });

  it('a file ASCII in its first chunk and Windows-1252 in a later one', async () => {
    const table = await read([latin1('Skola;Betyg\n'), latin1('Ek;C\n'), bytes(0xc5, 0x6b, 0x65, 0x72, 0x3b, 0x42, 0x0a)]);
    expect(table.records.map((record) => record.fields)).toEqual([
      ['Skola', 'Betyg'],
      ['Ek', 'C'],
      ['Åker', 'B'],
    ]);
    expect(table.info.encoding).toBe('windows-1252');
  });

  it('a Windows-1252 byte at the very end of the first non-ASCII chunk is not taken for a cut UTF-8 character', async () => {
    // "Skolområde\n" in Windows-1252, split right after the å (E5): E5 could start a UTF-8
    // sequence, but the next chunk shows it does not.
    const table = await read([latin1('Skolomr'), bytes(0xe5), latin1('de\n')]);
    expect(table.records).toEqual([{ fields: ['Skolområde'], line: 1 }]);
    expect(table.info.encoding).toBe('windows-1252');
  });

  it('a file ending inside what would be a UTF-8 sequence is Windows-1252', async () => {
    const table = await read([latin1('Skola;Omr'), bytes(0xe5)]);
    expect(table.records).toEqual([{ fields: ['Skola', 'Områ'], line: 1 }]);
    expect(table.info.encoding).toBe('windows-1252');
  });
});

describe('encodings: UTF-16 with a byte-order mark', () => {
  it('decodes UTF-16LE with a byte-order mark', async () => {
    const table = await read(Buffer.concat([bytes(0xff, 0xfe), Buffer.from('Åk;Betyg\n6;C\n', 'utf16le')]));
    expect(table.records.map((record) => record.fields)).toEqual([
      ['Åk', 'Betyg'],
      ['6', 'C'],
    ]);
    expect(table.info).toEqual({ encoding: 'utf-16le', bom: true, replaced: false });
  });

  it('decodes UTF-16LE split in the middle of a code unit', async () => {
    const body = Buffer.concat([bytes(0xff, 0xfe), Buffer.from('ö;x', 'utf16le')]);
    const table = await read([body.subarray(0, 3), body.subarray(3)]);
    expect(table.records).toEqual([{ fields: ['ö', 'x'], line: 1 }]);
  });

  it('decodes UTF-16BE with a byte-order mark', async () => {
    // "Å" = U+00C5, "k" = U+006B, big-endian.
    const table = await read(bytes(0xfe, 0xff, 0x00, 0xc5, 0x00, 0x6b));
    expect(table.records).toEqual([{ fields: ['Åk'], line: 1 }]);
    expect(table.info).toEqual({ encoding: 'utf-16be', bom: true, replaced: false });
  });
});

describe('encodings: forced (--encoding)', () => {
  it('windows-1252 forced on UTF-8 bytes reads them as two characters', async () => {
    const table = await read(Buffer.from('å'), { encoding: 'windows-1252' });
    expect(table.records).toEqual([{ fields: ['Ã¥'], line: 1 }]);
    expect(table.info).toEqual({ encoding: 'windows-1252', bom: false, replaced: false });
  });

  it('forced utf-8 still drops a UTF-8 byte-order mark', async () => {
    const table = await read(Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from('ä')]), { encoding: 'utf-8' });
    expect(table.records).toEqual([{ fields: ['ä'], line: 1 }]);
    expect(table.info).toEqual({ encoding: 'utf-8', bom: true, replaced: false });
  });

  it('forced utf-8 on ASCII reports utf-8', async () => {
    expect((await read(latin1('abc'), { encoding: 'utf-8' })).info.encoding).toBe('utf-8');
  });

  it('the option names map to encodings', () => {
    expect(ENCODING_NAMES['latin1']).toBe('windows-1252');
    expect(ENCODING_NAMES['utf8']).toBe('utf-8');
    expect(ENCODING_NAMES['utf-16']).toBe('utf-16le');
  });
});

describe('decodeWindows1252 and incompleteTail', () => {
  it('maps 0x80–0x9F by the Windows-1252 table and the rest as Latin-1', () => {
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x96, 0x97, 0x93, 0x94, 0x8a, 0x9f, 0xe5, 0xe4, 0xf6, 0xc5, 0x41]))).toBe('€–—“”ŠŸåäöÅA');
    // Bytes Windows-1252 leaves undefined keep their code (not dropped).
    expect(decodeWindows1252(Uint8Array.from([0x81, 0x8d, 0x8f, 0x90, 0x9d]))).toBe('\u0081\u008d\u008f\u0090\u009d');
    expect(decodeWindows1252(Buffer.from('plain', 'latin1').subarray(1, 4))).toBe('lai');
  });

  it('finds a UTF-8 sequence cut off at the end', () => {
    expect(incompleteTail(Buffer.from('abc'))).toBe(0);
    expect(incompleteTail(Buffer.from('aå'))).toBe(0);
    expect(incompleteTail(bytes(0x61, 0xc3))).toBe(1);
    expect(incompleteTail(bytes(0x61, 0xe2, 0x80))).toBe(2);
    expect(incompleteTail(bytes(0x61, 0xf0, 0x9f, 0x98))).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// The RecordReader interface itself

describe('RecordReader', () => {
  it('hands on field offsets; text and fields decode them, quotes undone', async () => {
    const seen: { raw: string[]; text: string[]; quoted: number[]; line: number; count: number }[] = [];
    const reader: RecordReader = new RecordReader({
      record(row) {
        const raw = Array.from({ length: row.count }, (_, i) => row.buf.toString('utf8', row.starts[i], row.ends[i]));
        seen.push({ raw, text: reader.fields(row), quoted: Array.from(row.quoted.subarray(0, row.count)), line: row.line, count: row.count });
      },
    });
    await reader.readAll(bytesOf(Buffer.from('Skola;Ämne\n"Ek; Norr";"say ""hi"""\n')));
    expect(seen).toEqual([
      { raw: ['Skola', 'Ämne'], text: ['Skola', 'Ämne'], quoted: [0, 0], line: 1, count: 2 },
      { raw: ['"Ek; Norr"', '"say ""hi"""'], text: ['Ek; Norr', 'say "hi"'], quoted: [1, 1], line: 2, count: 2 },
    ]);
    expect(reader.detectedDelimiter).toBe(';');
    expect(reader.detectedLineEnd).toBe('lf');
  });

  it('reads a record with more than 64 fields', async () => {
    const header = Array.from({ length: 150 }, (_, i) => `k${i}`);
    const row = Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? `"v;${i}"` : `v${i}`));
    const table = await read(`${header.join(';')}\n${row.join(';')}\n`);
    expect(table.records[0]?.fields).toEqual(header);
    expect(table.records[1]?.fields).toEqual(row.map((cell) => unquote(cell)));
  });

  it('reports the first chunk\'s size and line count (the first 64 bytes or more, gathered from tiny chunks)', async () => {
    const calls: [number, number][] = [];
    const reader = new RecordReader({ record() {}, firstChunk: (size, lines) => calls.push([size, lines]) });
    const long = `a;b\n${'1;2\n'.repeat(20)}3;4`;
    await reader.readAll(chunksOf([Buffer.alloc(0), Buffer.from(long), Buffer.from('\n5;6\n')]));
    expect(calls).toEqual([[long.length, 21]]);
    const small: [number, number][] = [];
    const gathered = new RecordReader({ record() {}, firstChunk: (size, lines) => small.push([size, lines]) });
    await gathered.readAll(chunksOf([Buffer.from('a;b\n1;2\n3;4'), Buffer.from('\n5;6\n')]));
    expect(small).toEqual([[16, 4]]); // both chunks: fewer than 64 bytes in all
  });

  it('keeps reading after a chunk that is all blank lines, counting them', async () => {
    const reader = new RecordReader({ record() {} });
    await reader.readAll(chunksOf([Buffer.from('a;b\n'), Buffer.from('\n\n;;\n'), Buffer.from('1;2\n')]));
    expect(reader.blankLines).toBe(3);
  });

  it('readFirstRecords gives the first records (after blank lines), none for an empty input', async () => {
    expect(await readFirstRecords(bytesOf(Buffer.from('\n\nSkola,Område\nEk,Norr\n')), {}, 1)).toEqual([{ fields: ['Skola', 'Område'], line: 3 }]);
    expect(await readFirstRecords(bytesOf(Buffer.from('Titel\n\nSkola,Område\nEk,Norr\n')), {}, 2)).toEqual([{ fields: ['Titel'], line: 1 }, { fields: ['Skola', 'Område'], line: 3 }]);
    expect(await readFirstRecords(bytesOf(Buffer.alloc(0)))).toEqual([]);
    expect(await readFirstRecords(chunksOf(splitEvery('Personnummer;Betyg\n1;A\n', 1)), {}, 1)).toEqual([{ fields: ['Personnummer', 'Betyg'], line: 1 }]);
  });

  it('readFirstRecords reads at most maxBytes', async () => {
    // The header's line end lies past the limit: what is read is the header cut at the limit.
    expect(await readFirstRecords(bytesOf(Buffer.from('abcdef;ghij\n1;2\n')), {}, 10, 8)).toEqual([{ fields: ['abcdef', 'g'], line: 1 }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Reading bugs the redesign fixes

describe('bare-CR line ends (Excel for Mac, "CSV (Macintosh)")', () => {
  const lf = [
    'Personnummer;Skola;Ämne;Kommentar',
    '201001019983;Älvskolan;MA;"två\nrader"',
    '',
    '201001019991;Björkskolan;SV;"""Bra"""',
    ';;;',
    '201001019975;Ekskolan;EN;',
    '',
  ].join('\n');
  const cr = lf.replace(/\n/g, '\r');

  it('gives the same records, line numbers and blank count as the LF version', async () => {
    const lfTable = await read(lf);
    expect(lfTable.records).toEqual([
      { fields: ['Personnummer', 'Skola', 'Ämne', 'Kommentar'], line: 1 },
      { fields: ['201001019983', 'Älvskolan', 'MA', 'två\nrader'], line: 2 },
      { fields: ['201001019991', 'Björkskolan', 'SV', '"Bra"'], line: 5 },
      { fields: ['201001019975', 'Ekskolan', 'EN', ''], line: 7 },
    ]);
    const crTable = await readEveryWay(cr);
    expect(crTable.lineEnd).toBe('cr');
    expect(crTable.records).toEqual(lfTable.records);
    expect(crTable.blankLines).toBe(lfTable.blankLines);
    expect(crTable.brokenQuotes).toEqual([]);
  });

  it('a CR inside quotes is a line break in the cell, counted as a line', async () => {
    const table = await read('a;b\r"x\ry\rz";1\rw;2\r');
    expect(table.records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\ny\nz', '1'], line: 2 },
      { fields: ['w', '2'], line: 5 },
    ]);
  });

  it('a CR arriving exactly at a chunk boundary, at every line end', async () => {
    const whole = await read(lf);
    const input = Buffer.from(cr, 'utf8');
    // Cut right after each CR, and right before it.
    for (let at = input.indexOf(13); at >= 0; at = input.indexOf(13, at + 1)) {
      for (const cut of [at, at + 1]) {
        const table = await read([input.subarray(0, cut), input.subarray(cut)]);
        expect(table.records, `cut at ${cut}`).toEqual(whole.records);
        expect(table.blankLines, `cut at ${cut}`).toBe(whole.blankLines);
      }
    }
    // The first line end alone in its chunk, then one CR per chunk.
    const header = input.indexOf(13);
    expect((await read([input.subarray(0, header), input.subarray(header, header + 1), input.subarray(header + 1)])).records).toEqual(whole.records);
  });

  it('a CR file in the first chunk that is exactly the header and its CR', async () => {
    const text = 'Skola;Område\rEk;Norr\rBjörk;Söder\r';
    const input = Buffer.from(text);
    const cut = input.indexOf(13) + 1;
    const table = await read([input.subarray(0, cut), input.subarray(cut)]);
    expect(table.records).toEqual([
      { fields: ['Skola', 'Område'], line: 1 },
      { fields: ['Ek', 'Norr'], line: 2 },
      { fields: ['Björk', 'Söder'], line: 3 },
    ]);
    expect(table.lineEnd).toBe('cr');
  });

  it('random CSVs: the CR version reads like the LF version, in any chunking', async () => {
    for (let seed = 1; seed <= 15; seed++) {
      const lfText = randomCsv(seed, '\n');
      const expected = await read(lfText);
      const crText = lfText.replace(/\n/g, '\r');
      const random = seeded(seed);
      for (const parts of [[Buffer.from(crText)], splitEvery(crText, 1), splitRandom(crText, random, 13)]) {
        const table = await read(parts);
        expect(table.records, `seed ${seed}`).toEqual(expected.records);
        expect(table.blankLines, `seed ${seed}`).toBe(expected.blankLines);
      }
    }
  });

  it('LF and CRLF files are told apart from CR files', async () => {
    expect((await read('a;b\n1;2\n')).lineEnd).toBe('lf');
    expect((await read('a;b\r\n1;2\r\n')).lineEnd).toBe('crlf');
    expect((await read(splitEvery('a;b\r\n1;2\r\n', 1))).lineEnd).toBe('crlf');
    expect((await read(splitEvery('a;b\r1;2\r', 1))).lineEnd).toBe('cr');
    expect((await read('a;b')).lineEnd).toBe('none');
  });
});

describe('a quoted cell with many line breaks (a Kommentar column)', () => {
  const header = 'Personnummer;Läsår;Ämne;Kommentar';
  const commentLines = Array.from({ length: 61 }, (_, i) => (i === 30 ? '201001019991;2024/25;MA;C' : `rad ${i + 1} av kommentaren`));
  const comment = commentLines.join('\n'); // 60 line breaks
  const text = `${header}\n201001019983;2024/25;SV;"${comment}"\n201001019975;2024/25;EN;B\n`;

  it('is one record; the next record is on line 63; the data-looking line inside is not a record', async () => {
    const table = await readEveryWay(text, { expectFieldsFromFirst: true }, 5);
    expect(table.records).toEqual([
      { fields: ['Personnummer', 'Läsår', 'Ämne', 'Kommentar'], line: 1 },
      { fields: ['201001019983', '2024/25', 'SV', comment], line: 2 },
      { fields: ['201001019975', '2024/25', 'EN', 'B'], line: 63 },
    ]);
    expect(table.records[1]?.fields[3]?.split('\n')).toHaveLength(61);
    expect(table.records.some((record) => record.fields[0] === '201001019991')).toBe(false);
    expect(table.brokenQuotes).toEqual([]);
  });

  it('with expectedFields set on the RecordReader by hand once the header is read', async () => {
    const records: TextRecord[] = [];
    const broken: number[] = [];
    const reader: RecordReader = new RecordReader({
      record(row) {
        if (reader.expectedFields === 0) reader.expectedFields = row.count;
        records.push({ fields: reader.fields(row), line: row.line });
      },
      brokenQuote: (line) => broken.push(line),
    });
    await reader.readAll(chunksOf(splitEvery(text, 97)));
    expect(reader.expectedFields).toBe(4);
    expect(records.map((record) => record.line)).toEqual([1, 2, 63]);
    expect(broken).toEqual([]);
  });

  it('also with CRLF line ends inside and outside the comment', async () => {
    const table = await read(text.replace(/\n/g, '\r\n'), { expectFieldsFromFirst: true });
    expect(table.records.map((record) => record.line)).toEqual([1, 2, 63]);
    expect(table.records[1]?.fields[3]).toBe(comment.replace(/\n/g, '\r\n'));
  });
});

describe('a quote that never closes costs only its own line', () => {
  it('at the end of the input: brokenQuote gets that line, reading goes on at the next', async () => {
    const text = 'Personnummer;Skola;Betyg\n201001019983;"Ekskolan;C\n201001019991;Björkskolan;B\n201001019975;Ekskolan;A\n';
    const table = await readEveryWay(text);
    expect(table.brokenQuotes).toEqual([2]);
    expect(table.records).toEqual([
      { fields: ['Personnummer', 'Skola', 'Betyg'], line: 1 },
      { fields: ['201001019991', 'Björkskolan', 'B'], line: 3 },
      { fields: ['201001019975', 'Ekskolan', 'A'], line: 4 },
    ]);
  });

  it('on the last line, with or without a line end', async () => {
    for (const text of ['a;b\n1;2\n3;"open\n', 'a;b\n1;2\n3;"open']) {
      const table = await readEveryWay(text, {}, 3);
      expect(table.brokenQuotes).toEqual([3]);
      expect(table.records.map((record) => record.line)).toEqual([1, 2]);
    }
  });

  it('the RecordReader calls the brokenQuote handler with the line', async () => {
    const broken: number[] = [];
    const lines: number[] = [];
    const reader = new RecordReader({ record: (row) => lines.push(row.line), brokenQuote: (line) => broken.push(line) });
    await reader.readAll(bytesOf(Buffer.from('a;b\n"x;1\ny;2\n')));
    expect(broken).toEqual([2]);
    expect(lines).toEqual([1, 3]);
  });

  it(`when the quoted field runs past MAX_QUOTED_BYTES (${MAX_QUOTED_BYTES} bytes) before it would close`, async () => {
    // A stray quote on line 2 whose partner comes only after more than 1 MiB of ordinary lines:
    // without the limit it would swallow them all into one record (expectedFields is not set).
    const row = '201001019983;Ekskolan;MA;C';
    const count = Math.ceil(MAX_QUOTED_BYTES / (row.length + 1)) + 10;
    const text = `Personnummer;Skola;Ämne;Betyg\n201001019991;"Ekskolan;SV;B\n${`${row}\n`.repeat(count)}201001019975;Ekskolan";EN;A\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_QUOTED_BYTES);
    for (const size of [1 << 16, 1 << 22]) {
      const table = await read(splitEvery(text, size));
      expect(table.brokenQuotes, `${size}-byte chunks`).toEqual([2]);
      expect(table.records).toHaveLength(count + 2);
      expect(table.records[1]).toEqual({ fields: row.split(';'), line: 3 });
      expect(table.records.at(-2)).toEqual({ fields: row.split(';'), line: count + 2 });
      // The line with the partner quote: its quote is mid-field, an ordinary character.
      expect(table.records.at(-1)).toEqual({ fields: ['201001019975', 'Ekskolan"', 'EN', 'A'], line: count + 3 });
    }
  });

  it('the limit is in bytes, not lines: 40 long lines of a stray quote whose pair gives the header\'s field count', async () => {
    // Line 2 opens a quote by mistake, line 43 closes it; taken together they make a record of
    // the header's 3 fields over 41 line breaks. Only its size (over 1 MiB) shows it is not one.
    const long = 'y'.repeat(30_000);
    const text = `a;b;c\n1;"oops\n${`${long}\n`.repeat(40)}end";3\n4;5;6\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_QUOTED_BYTES);
    for (const size of [1 << 16, 1 << 22]) {
      const table = await read(splitEvery(text, size), { expectFieldsFromFirst: true });
      expect(table.brokenQuotes).toEqual([2]);
      expect(table.records).toHaveLength(43);
      expect(table.records[1]).toEqual({ fields: [long], line: 3 });
      expect(table.records.at(-2)).toEqual({ fields: ['end"', '3'], line: 43 });
      expect(table.records.at(-1)).toEqual({ fields: ['4', '5', '6'], line: 44 });
    }
    // The same with short lines is one record: a quoted cell may span any number of lines.
    const short = `a;b;c\n1;"oops\n${'y\n'.repeat(40)}end";3\n4;5;6\n`;
    const table = await read(short, { expectFieldsFromFirst: true });
    expect(table.brokenQuotes).toEqual([]);
    expect(table.records.map((record) => record.line)).toEqual([1, 2, 44]);
  });

  it('a single quoted field just over 1 MiB that never closes, then more lines', async () => {
    const text = `a;b\n1;"${'x'.repeat(MAX_QUOTED_BYTES + 16)}\n2;3\n4;5\n`;
    for (const size of [1 << 16, 1 << 22]) {
      const table = await read(splitEvery(text, size));
      expect(table.brokenQuotes).toEqual([2]);
      expect(table.records).toEqual([
        { fields: ['a', 'b'], line: 1 },
        { fields: ['2', '3'], line: 3 },
        { fields: ['4', '5'], line: 4 },
      ]);
    }
  });

  it('a quoted field just under the limit is read whole', async () => {
    const cell = `${'y'.repeat(MAX_QUOTED_BYTES - 64)}\nslut`;
    const table = await read(splitEvery(`a;b\n1;"${cell}"\n2;3\n`, 1 << 16));
    expect(table.brokenQuotes).toEqual([]);
    expect(table.records.map((record) => record.line)).toEqual([1, 2, 4]);
    expect(table.records[1]?.fields[1]).toBe(cell);
  });
});

describe('a stray quote pairing with a later stray quote, with expectedFields set', () => {
  // Line 2 opens a quote by mistake; the quote before "A" on line 4 closes it. Taken together
  // they make a 2-field record, not the header's 4: line 2 is reported, lines 3 and 4 are read.
  const text = [
    'Personnummer;Skola;Ämne;Betyg',
    '201001019983;"Ekskolan;MA;C',
    '201001019991;Ekskolan;MA;B',
    '201001019975;Ekskolan;SV;"A"',
    '201001019967;Ekskolan;EN;E',
    '',
  ].join('\n');

  it('reports the first line as broken and reads the lines after it', async () => {
    const table = await readEveryWay(text, { expectFieldsFromFirst: true }, 5);
    expect(table.brokenQuotes).toEqual([2]);
    expect(table.records).toEqual([
      { fields: ['Personnummer', 'Skola', 'Ämne', 'Betyg'], line: 1 },
      { fields: ['201001019991', 'Ekskolan', 'MA', 'B'], line: 3 },
      { fields: ['201001019975', 'Ekskolan', 'SV', 'A'], line: 4 },
      { fields: ['201001019967', 'Ekskolan', 'EN', 'E'], line: 5 },
    ]);
  });

  it('set on the RecordReader directly', async () => {
    const broken: number[] = [];
    const lines: number[] = [];
    const reader = new RecordReader({ record: (row) => lines.push(row.line), brokenQuote: (line) => broken.push(line) });
    reader.expectedFields = 4;
    await reader.readAll(chunksOf(splitEvery(text, 4)));
    expect(broken).toEqual([2]);
    expect(lines).toEqual([1, 3, 4, 5]);
  });

  it('without expectedFields too: the closing quote is followed by text, not a delimiter, so the pair is a stray one', async () => {
    const table = await read(text);
    expect(table.brokenQuotes).toEqual([2]);
    expect(table.records.map((record) => [record.line, record.fields.length])).toEqual([
      [1, 4],
      [3, 4],
      [4, 4],
      [5, 4],
    ]);
  });

  it('a stray quote in a comment column that closes mid-cell lines later costs only its own line (no row vanishes)', async () => {
    const rows = Array.from({ length: 12 }, (_, k) => `2012040${(k % 9) + 1}-98${k % 10}0;S;6;2023/24;MA;C;${k === 3 ? '"Bra start' : k === 9 ? 'Läs 12" skärm' : 'ok'}`);
    const table = await read(['Personnummer;Skola;Åk;Läsår;Ämne;Betyg;Kommentar', ...rows, ''].join('\n'));
    expect(table.brokenQuotes).toEqual([5]);
    expect(table.records).toHaveLength(12); // the header and 11 of the 12 rows; line 5 is reported
    expect(table.records.at(-1)?.fields[6]).toBe('ok');
  });

  it('text after a closing quote on the same line is kept, as Excel reads it', async () => {
    const table = await read('a;b\n"x"y;2\n');
    expect(table.brokenQuotes).toEqual([]);
    expect(table.records[1]?.fields).toEqual(['xy', '2']);
  });

  it('a second stray pair further down is reported too', async () => {
    const twice = `${text}201001019959;"Björk;MA;C\n201001019942;Björk;MA;B\n201001019934;Björk;SV;"A"\n`;
    const table = await read(twice, { expectFieldsFromFirst: true });
    expect(table.brokenQuotes).toEqual([2, 6]);
    expect(table.records.map((record) => record.line)).toEqual([1, 3, 4, 5, 7, 8]);
  });
});

describe('UTF-16 without a byte-order mark', () => {
  const text = 'Skola;Område;Ämne\r\nÅsens skola;Söder;Svenska\r\nÖstra skolan;Norr;Matematik\r\nVäxjö;Mellersta;Slöjd\r\n';
  const expected: TextRecord[] = [
    { fields: ['Skola', 'Område', 'Ämne'], line: 1 },
    { fields: ['Åsens skola', 'Söder', 'Svenska'], line: 2 },
    { fields: ['Östra skolan', 'Norr', 'Matematik'], line: 3 },
    { fields: ['Växjö', 'Mellersta', 'Slöjd'], line: 4 },
  ];
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();

  it('UTF-16LE is detected and decoded', async () => {
    const table = await read(le);
    expect(table.info).toEqual({ encoding: 'utf-16le', bom: false, replaced: false });
    expect(table.records).toEqual(expected);
    expect(sniffUtf16(le)).toBe('utf-16le');
  });

  it('UTF-16BE is detected and decoded', async () => {
    const table = await read(be);
    expect(table.info).toEqual({ encoding: 'utf-16be', bom: false, replaced: false });
    expect(table.records).toEqual(expected);
    expect(sniffUtf16(be)).toBe('utf-16be');
  });

  it('also when split into odd-sized chunks (a code unit cut in two)', async () => {
    for (const input of [le, be]) {
      for (const size of [5, 7, 13, 101]) {
        const table = await read(splitEvery(input, size));
        expect(table.records, `${size}-byte chunks`).toEqual(expected);
        expect(table.info.bom).toBe(false);
      }
      const random = seeded(7);
      for (let round = 0; round < 20; round++) {
        // A first chunk of at least 4 bytes (see the known bug below), then random sizes.
        const parts = [input.subarray(0, 9), ...splitRandom(input.subarray(9), random, 11)];
        expect((await read(parts)).records, `round ${round}`).toEqual(expected);
      }
    }
  });

  it('a longer file, with tab delimiters, quoted cells and blank lines', async () => {
    const lines = ['Personnummer\tSkola\tKommentar'];
    for (let i = 0; i < 400; i++) lines.push(i % 50 === 0 ? '' : `20100101${String(1000 + i)}\tÅsens skola\t"rad ${i}; "" å\nä ö"`);
    const utf8Text = `${lines.join('\n')}\n`;
    const fromUtf8 = await read(utf8Text);
    for (const [encoding, input] of [
      ['utf-16le', Buffer.from(utf8Text, 'utf16le')],
      ['utf-16be', Buffer.from(utf8Text, 'utf16le').swap16()],
    ] as const) {
      const table = await read(splitEvery(input, 1001));
      expect(table.info.encoding).toBe(encoding);
      expect(table.delimiter).toBe('\t');
      expect(table.records).toEqual(fromUtf8.records);
      expect(table.blankLines).toBe(fromUtf8.blankLines);
    }
  });

  it('a plain UTF-8 or Windows-1252 file is never taken for UTF-16', async () => {
    const utf8 = Buffer.from(text, 'utf8');
    const cp1252 = Buffer.from(text, 'latin1');
    expect(sniffUtf16(utf8)).toBeNull();
    expect(sniffUtf16(cp1252)).toBeNull();
    expect(sniffUtf16(Buffer.from('a;b\n1;2\n'))).toBeNull();
    expect(sniffUtf16(Buffer.alloc(0))).toBeNull();
    expect((await read(utf8)).info.encoding).toBe('utf-8');
    expect((await read(cp1252)).info.encoding).toBe('windows-1252');
    expect((await read(cp1252)).records).toEqual(expected);
    // The demo export saved by Swedish Excel (Windows-1252, CRLF).
    expect(sniffUtf16(readFileSync('fixtures/demo/exports/betyg_ak6_ak9.csv'))).toBeNull();
    for (const file of readdirSync('fixtures/skolverket').filter((name) => name.endsWith('.csv'))) {
      expect(sniffUtf16(readFileSync(`fixtures/skolverket/${file}`)), file).toBeNull();
    }
  });

  it('a forced UTF-16 encoding reads a file without a mark', async () => {
    expect((await read(be, { encoding: 'utf-16be' })).records).toEqual(expected);
    expect((await read(splitEvery(le, 3), { encoding: 'utf-16le' })).records).toEqual(expected);
  });
});

describe('sniffing the delimiter from the first lines, not the first line', () => {
  const skolverketLike = [
    'Statistik från Skolverket, https://www.skolverket.se',
    '',
    'Grundskola - Betyg årskurs 6, andel som fått godkänt betyg (A-E), per kön',
    'Valt läsår: 2023/24',
    '',
    'Kommun;Kommun-kod;Typ av huvudman;Antal elever;Andel (%) elever som fått godkänt betyg i alla ämnen;Genomsnittligt betygsvärde;',
    'Ale;1440;Samtliga;228;69,7;4,3;',
    'Alingsås;1489;Samtliga;401;81,2;4,1;',
    'Stockholm;0180;Samtliga;9 593;84,0;4,4;',
    '',
  ];

  it('a Skolverket-like file (banner with a comma, title with commas, decimal commas) sniffs ;', async () => {
    expect(sniffDelimiter(skolverketLike)).toBe(';');
    const table = await readEveryWay(skolverketLike.join('\r\n'), { keepBlank: true }, 3);
    expect(table.delimiter).toBe(';');
    expect(table.records[0]).toEqual({ fields: ['Statistik från Skolverket, https://www.skolverket.se'], line: 1 });
    expect(table.records.find((record) => record.line === 7)?.fields).toEqual(['Ale', '1440', 'Samtliga', '228', '69,7', '4,3', '']);
  });

  it('a comma file with semicolons inside some quoted cells sniffs ,', async () => {
    const lines = [
      'Elev-ID,Skolenhet,Ämne,Provbetyg,Kommentar',
      '201001019983,Ekskolan,SV,A,"Bra; tydlig; analys; källor"',
      '201001019991,Ekskolan,MA,C,"Se bilaga; del 1; del 2; del 3; del 4"',
      '201001019975,Ekskolan,EN,B,',
      '201001019967,Ekskolan,SV,E,"Muntligt; skriftligt; läsning"',
    ];
    expect(sniffDelimiter(lines)).toBe(',');
    const table = await read(lines.join('\n'));
    expect(table.delimiter).toBe(',');
    expect(table.records[2]?.fields).toEqual(['201001019991', 'Ekskolan', 'MA', 'C', 'Se bilaga; del 1; del 2; del 3; del 4']);
  });

  it('a tab file (with commas and semicolons in its cells) sniffs tab', async () => {
    const lines = ['student_id\tschool\tsubject\tresult', '201001019983\tEk, Norr\tSV; muntligt\t1', '201001019991\tEk, Norr\tMA\t2'];
    expect(sniffDelimiter(lines)).toBe('\t');
    expect((await read(lines.join('\n'))).records[1]?.fields).toEqual(['201001019983', 'Ek, Norr', 'SV; muntligt', '1']);
  });

  it('a one-line, header-only file is decided by its own count', async () => {
    expect(sniffDelimiter(['Elev-ID,Skolenhet,Klass,Åk'])).toBe(',');
    expect((await read('Elev-ID,Skolenhet,Klass,Åk')).delimiter).toBe(',');
    expect((await read('Personnummer;Skola;Ämne;Betyg\n')).delimiter).toBe(';');
    expect((await read('Personnummer\tSkola, namn\tÄmne\r\n')).delimiter).toBe('\t');
  });

  it('a ;-file whose first 70 lines hold more commas than semicolons in some lines', async () => {
    // The sample is the first 64 lines; the shape the most lines share wins.
    const lines = ['Namn;Kommentar;Betyg', ...Array.from({ length: 69 }, (_, i) => (i % 10 === 0 ? `Elev ${i};a, b, c, d, e;C` : `Elev ${i};ok;B`))];
    expect(sniffDelimiter(lines)).toBe(';');
    const table = await read(splitEvery(lines.join('\n'), 50));
    expect(table.delimiter).toBe(';');
    expect(table.records).toHaveLength(70);
  });

  describe('the fixture files are sniffed right', () => {
    const files: [string, ';' | ',' | '\t'][] = [
      ...readdirSync('fixtures/skolverket')
        .filter((name) => name.endsWith('.csv'))
        .map((name): [string, ';'] => [`fixtures/skolverket/${name}`, ';']),
      ['fixtures/demo/exports/bedomningar_ak5.csv', '\t'],
      ['fixtures/demo/exports/betyg_ak6_ak9.csv', ';'],
      ['fixtures/demo/exports/nationella_prov_ak6.csv', ','],
      ['fixtures/demo/exports/np_ak9.csv', ';'],
      ['fixtures/demo/skolomraden.csv', ';'],
    ];

    it('every file is listed (7 from Skolverket, 4 demo exports, the areas file)', () => {
      expect(files).toHaveLength(12);
    });

    it.each(files)('%s → %j', async (file, delimiter) => {
      const input = readFileSync(file);
      // sniffDelimiter on the first 64 lines, as the reader samples them.
      expect(sniffDelimiter(input.toString('latin1').split(/\r?\n/).slice(0, 64))).toBe(delimiter);
      // The reader, in 64 KiB chunks: every record of the table has the header's width.
      const widths = new Map<number, number>();
      const reader = new RecordReader({
        record(row) {
          widths.set(row.count, (widths.get(row.count) ?? 0) + 1);
        },
      });
      await reader.readAll(chunksOf(splitEvery(input, 1 << 16)));
      expect(reader.detectedDelimiter).toBe(delimiter);
      const [width, records] = [...widths].sort((a, b) => b[1] - a[1])[0]!;
      expect(width).toBeGreaterThan(1);
      expect(records).toBeGreaterThan(3);
    });
  });
});

describe('the byte-order mark and UTF-16 checks, however the input is cut', () => {
  // The mark and UTF-16's zero bytes are looked for in the first 64 bytes, gathered from as many
  // chunks as it takes (stdin can arrive a byte at a time).
  const withBom = Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from('Skola;Ämne\nÅsen;MA\n')]);
  const le = Buffer.from('Skola;Ämne\nÅsen;MA\n', 'utf16le');

  it('(works) with a first chunk holding the whole mark', async () => {
    expect(await read(splitEvery(withBom, 3))).toEqual(await read(withBom));
    expect(await read(splitEvery(le, 4))).toEqual(await read(le));
  });

  it('a UTF-8 byte-order mark in 1-byte chunks', async () => {
    expect(await read(splitEvery(withBom, 1))).toEqual(await read(withBom));
  });

  it('UTF-16LE without a mark in 1-byte chunks', async () => {
    expect(await read(splitEvery(le, 1))).toEqual(await read(le));
  });

  // With --encoding utf-16le/utf-16be the mark is dropped as text, and reported (meta, inspect).
  it('a forced UTF-16 encoding reports the byte-order mark it dropped', async () => {
    const input = Buffer.concat([bytes(0xff, 0xfe), le]);
    expect((await read(input, { encoding: 'utf-16le' })).info).toEqual({ encoding: 'utf-16le', bom: true, replaced: false });
  });

  it('a CR inside quotes before the first line end does not make the file a CR file', async () => {
    const table = await readTextTable(bytesOf(Buffer.from('a;"x\ry"\n1;2\n')));
    expect(table.lineEnd).toBe('lf');
    expect(table.records).toEqual([
      { fields: ['a', 'x\ry'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
  });
});

describe('reading: fields shared with the previous record (row.same)', () => {
  /** Every record's fields, `same` and `seq`, read in one chunk or in the given pieces. */
  async function records(parts: readonly Uint8Array[]): Promise<{ fields: string[]; line: number; same: number; seq: number }[]> {
    const out: { fields: string[]; line: number; same: number; seq: number }[] = [];
    const reader: RecordReader = new RecordReader({ record: (row) => out.push({ fields: reader.fields(row), line: row.line, same: row.same, seq: row.seq }) });
    await reader.readAll(chunksOf(parts));
    return out;
  }
  /** Leading fields equal in both records, each followed by a delimiter in both. */
  const shared = (a: readonly string[], b: readonly string[]): number => {
    let k = 0;
    while (k < a.length - 1 && k < b.length - 1 && a[k] === b[k]) k++;
    return k;
  };

  it('counts the leading fields a line repeats, delimiter included; the last field never counts', async () => {
    const text = ['P;S;Å;R', '1;Ek;MA;A', '1;Ek;MA;B', '1;Ek;EN;B', '1;Ekb;EN;B', '1;Ek;EN', '1;Ek;EN;C;D', '1;Ek;EN;C;D', '2;Ek;EN;C;D', ''].join('\n');
    const got = await records([Buffer.from(text)]);
    expect(got.map((r) => r.same)).toEqual([0, 0, 3, 2, 1, 1, 2, 4, 0]);
    expect(got.map((r) => r.fields.join('|'))).toEqual(text.split('\n').slice(0, -1).map((line) => line.split(';').join('|')));
    // seq counts records: `same` refers to the one just before.
    for (let i = 1; i < got.length; i++) expect((got[i]?.seq ?? 0) - (got[i - 1]?.seq ?? 0)).toBe(1);
  });

  it('a field that only starts the same (Ek, Ekb) is not shared, nor is one that is longer', async () => {
    const got = await records([Buffer.from('a;Ekb;x\na;Ek;x\na;Ekb;x\n')]);
    expect(got.map((r) => [r.same, r.fields[1]])).toEqual([
      [0, 'Ekb'],
      [1, 'Ek'],
      [1, 'Ekb'],
    ]);
  });

  it('is 0 after a record with quotes, and for a record with quotes', async () => {
    const got = await records([Buffer.from('a;b;c\n"a";b;c\na;b;c\na;b;"c"\na;b;c\n')]);
    expect(got.map((r) => r.same)).toEqual([0, 0, 0, 0, 0]);
    expect(got.map((r) => r.fields)).toEqual(Array.from({ length: 5 }, () => ['a', 'b', 'c']));
  });

  it('is 0 after a blank line; a repeated prefix of spaces still leaves a line blank or not as its bytes say', async () => {
    const got = await records([Buffer.from('  ;x;1\n  ;x;2\n\n  ;x;3\n ; ;a\n ; ;\n ; ;b\n')]);
    expect(got.map((r) => [r.line, r.same, r.fields.join('|')])).toEqual([
      [1, 0, '  |x|1'],
      [2, 2, '  |x|2'],
      [4, 0, '  |x|3'],
      [5, 0, ' | |a'],
      // line 6 (` ; ;`) is blank even though it repeats line 5's first two fields
      [7, 0, ' | |b'],
    ]);
  });

  it('with CRLF line ends and in any chunking, fields are those of a plain split, and same is 0 or the shared count', async () => {
    const random = seeded(7);
    const words = ['', 'Ek', 'Ekb', 'MA', 'EN', ' ', 'A', 'B', 'Ekbacken'];
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const previous = lines.at(-1)?.split(';') ?? [];
      const fields = Array.from({ length: 3 + Math.floor(random() * 3) }, (_, k) => (random() < 0.6 && previous[k] !== undefined ? previous[k] : (words[Math.floor(random() * words.length)] ?? '')));
      lines.push(fields.join(';'));
    }
    const text = Buffer.from(lines.map((line) => `${line}\r\n`).join(''));
    const nonBlank = lines.filter((line) => line.replace(/[; ]/g, '') !== '');
    const whole = await records([text]);
    expect(whole.map((r) => r.fields.join(';'))).toEqual(nonBlank);
    let reused = 0;
    for (let i = 0; i < whole.length; i++) {
      const record = whole[i];
      if (!record) continue;
      const before = whole[i - 1];
      // Read in one chunk, `same` is exact unless a blank line came between.
      const adjacent = before !== undefined && before.line === record.line - 1;
      expect(record.same).toBe(adjacent ? shared(before.fields, record.fields) : 0);
      if (record.same > 0) reused++;
    }
    expect(reused).toBeGreaterThan(100);
    for (const size of [1, 5, 64]) {
      const pieces = await records(splitEvery(text, size));
      expect(pieces.map((r) => r.fields)).toEqual(whole.map((r) => r.fields));
      pieces.forEach((r, i) => expect([0, whole[i]?.same]).toContain(r.same));
    }
  });
});

describe('reading: Mac Roman with LF line ends', () => {
  it('a byte Windows-1252 leaves undefined (0x81 is Å in Mac Roman) makes it Mac Roman, wherever it is in the first chunk', async () => {
    // "Skola;Ämne\nÅsen;MA\n" in Mac Roman: Ä is 0x80, Å 0x81.
    const head = Buffer.from([...latin1('Skola;'), 0x80, ...latin1('mne\n')]);
    const rows = Array.from({ length: 2000 }, () => 'Ekbacken;MA\n').join('');
    const table = await read(Buffer.concat([head, latin1(rows), bytes(0x81), latin1('sen;MA\n')]));
    expect(table.info.encoding).toBe('macintosh');
    expect(table.records[0]?.fields).toEqual(['Skola', 'Ämne']);
    expect(table.records.at(-1)?.fields).toEqual(['Åsen', 'MA']);
  });

  it('the same text without such a byte is Windows-1252 (0x80 is € there)', async () => {
    const table = await read(Buffer.from([...latin1('Skola;'), 0x80, ...latin1('mne\nEk;MA\n')]));
    expect(table.info.encoding).toBe('windows-1252');
    expect(table.records[0]?.fields).toEqual(['Skola', '€mne']);
  });
});
