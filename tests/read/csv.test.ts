import { describe, expect, it } from 'vitest';
import { CsvParser, sniffDelimiter, type Delimiter } from '../../src/read/csv.js';

interface Row {
  fields: string[];
  line: number;
}

interface Parse {
  rows: Row[];
  blankLines: number;
  delimiter: Delimiter | null;
}

function parseChunks(chunks: readonly string[], delimiter?: Delimiter): Parse {
  const rows: Row[] = [];
  const parser = new CsvParser((fields, line) => rows.push({ fields, line }), delimiter);
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { rows, blankLines: parser.blankLines, delimiter: parser.detectedDelimiter };
}

const parseText = (text: string, delimiter?: Delimiter): Parse => parseChunks([text], delimiter);

function splitEvery(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
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

function splitRandom(text: string, random: () => number, maxSize: number): string[] {
  const chunks: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(text.slice(pos, pos + size));
    pos += size;
  }
  return chunks;
}

describe('sniffDelimiter', () => {
  it('semicolon', () => {
    expect(sniffDelimiter('Personnummer;Skola;Ämne')).toBe(';');
  });

  it('comma', () => {
    expect(sniffDelimiter('Personnummer,Skola,Ämne')).toBe(',');
  });

  it('tab', () => {
    expect(sniffDelimiter('Personnummer\tSkola\tÄmne')).toBe('\t');
  });

  it('pipe', () => {
    expect(sniffDelimiter('Personnummer|Skola|Ämne')).toBe('|');
  });

  it('ignores delimiters inside quotes', () => {
    expect(sniffDelimiter('"Skola, namn","Ort, län";Ämne;Betyg')).toBe(';');
  });

  it('falls back to ; for a single column', () => {
    expect(sniffDelimiter('Personnummer')).toBe(';');
  });
});

describe('CsvParser: delimiters', () => {
  it('splits on ;', () => {
    expect(parseText('a;b;c\n1;2;3\n').rows).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '2', '3'], line: 2 },
    ]);
  });

  it('splits on , and reports it', () => {
    const result = parseText('a,b\n1,2\n');
    expect(result.delimiter).toBe(',');
    expect(result.rows.map((row) => row.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('splits on tab', () => {
    expect(parseText('a\tb\n1\t2\n').rows.map((row) => row.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('uses a given delimiter instead of sniffing', () => {
    expect(parseText('a;b,c\n', ',').rows[0]?.fields).toEqual(['a;b', 'c']);
  });

  it('keeps every cell a string: leading zeros and school years untouched', () => {
    expect(parseText('id;år\n0012;2024/25\n').rows[1]?.fields).toEqual(['0012', '2024/25']);
  });
});

describe('CsvParser: quoting', () => {
  it('a quoted field holds the delimiter', () => {
    expect(parseText('a;b\n"x;y";2\n').rows[1]?.fields).toEqual(['x;y', '2']);
  });

  it('"" inside a quoted field is one quote', () => {
    expect(parseText('a;b\n"say ""hej""";2\n').rows[1]?.fields).toEqual(['say "hej"', '2']);
  });

  it('an empty quoted field is an empty string', () => {
    expect(parseText('a;b;c\n1;"";3\n').rows[1]?.fields).toEqual(['1', '', '3']);
  });

  it('a quoted field holds a line break; the row keeps its first line', () => {
    expect(parseText('a;b\n"Skola\nNorr";2\n').rows[1]).toEqual({ fields: ['Skola\nNorr', '2'], line: 2 });
  });

  it('rows after a multi-line field get their physical line numbers', () => {
    const text = 'a;b\n"one\ntwo\nthree";1\nx;2\n"y";3\n';
    expect(parseText(text).rows).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['one\ntwo\nthree', '1'], line: 2 },
      { fields: ['x', '2'], line: 5 },
      { fields: ['y', '3'], line: 6 },
    ]);
  });

  it('a CRLF inside a quoted field is kept and counted as one line', () => {
    const text = 'a;b\r\n"x\r\ny";1\r\nz;2\r\n';
    expect(parseText(text).rows).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\r\ny', '1'], line: 2 },
      { fields: ['z', '2'], line: 4 },
    ]);
  });

  it('text after a closing quote is kept (lenient, as Excel reads it)', () => {
    expect(parseText('a;b\n"x"y;2\n').rows[1]?.fields).toEqual(['xy', '2']);
  });

  it('an unterminated quote at the end of the file takes the rest', () => {
    expect(parseText('a;b\n1;"open').rows[1]?.fields).toEqual(['1', 'open']);
  });
});

describe('CsvParser: line ends and blank lines', () => {
  it('CRLF line ends leave no \\r in the last field', () => {
    expect(parseText('a;b\r\n1;2\r\n').rows).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
  });

  it('a last line without a newline is read', () => {
    expect(parseText('a;b\n1;2').rows[1]).toEqual({ fields: ['1', '2'], line: 2 });
  });

  it('a quoted last line without a newline is read', () => {
    expect(parseText('a;b\n"1";2').rows[1]).toEqual({ fields: ['1', '2'], line: 2 });
  });

  it('blank lines and ;;;; lines are skipped and counted; line numbers still count them', () => {
    const result = parseText('a;b\n\n1;2\n;;;;\n  \n3;4\n;"";\n5;6\n');
    expect(result.rows).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 3 },
      { fields: ['3', '4'], line: 6 },
      { fields: ['5', '6'], line: 8 },
    ]);
    expect(result.blankLines).toBe(4);
  });

  it('blank lines before the header are counted and do not decide the delimiter', () => {
    const result = parseText('\n\r\na,b\n1,2\n');
    expect(result.delimiter).toBe(',');
    expect(result.rows[0]).toEqual({ fields: ['a', 'b'], line: 3 });
    expect(result.blankLines).toBe(2);
  });

  it('an empty input gives no rows', () => {
    expect(parseText('')).toEqual({ rows: [], blankLines: 0, delimiter: null });
  });
});

describe('CsvParser: chunk boundaries', () => {
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

  const whole = parseText(text);

  it('the reference parse (one chunk) is what the text says', () => {
    expect(whole.rows).toEqual([
      { fields: ['Personnummer', 'Skola', 'Ämne', 'Betyg'], line: 1 },
      { fields: ['201304129826', 'Älvskolan; Norr', 'MA', 'C'], line: 2 },
      { fields: ['201304129818', 'Skola "Ek"\r\nmed radbrytning', 'EN', 'B'], line: 4 },
      { fields: ['201304729823', 'Björkskolan', 'SV', '-'], line: 7 },
      { fields: ['201304129826', 'a\nb\nc', 'SVA', ''], line: 8 },
      { fields: ['last', 'line', 'without', 'newline'], line: 11 },
    ]);
    expect(whole.blankLines).toBe(2);
  });

  it('1-character chunks give the same rows, lines and blank count', () => {
    expect(parseChunks(splitEvery(text, 1))).toEqual(whole);
  });

  it('2- and 3-character chunks give the same result', () => {
    expect(parseChunks(splitEvery(text, 2))).toEqual(whole);
    expect(parseChunks(splitEvery(text, 3))).toEqual(whole);
  });

  it('a boundary between \\r and \\n gives the same result', () => {
    const cut = text.indexOf('\r\n') + 1;
    expect(parseChunks([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('a boundary inside a quoted field, right after a "", gives the same result', () => {
    const cut = text.indexOf('""Ek') + 1;
    expect(parseChunks([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('a boundary inside a multi-line quoted field gives the same result', () => {
    const cut = text.indexOf('a\nb') + 2;
    expect(parseChunks([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('every single cut point gives the same result', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      expect(parseChunks([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('random chunk sizes (seeded) give the same result', () => {
    const random = seeded(20250612);
    for (let round = 0; round < 200; round++) {
      expect(parseChunks(splitRandom(text, random, 12)), `round ${round}`).toEqual(whole);
    }
  });

  it('empty chunks change nothing', () => {
    expect(parseChunks(['', ...splitEvery(text, 5).flatMap((chunk) => [chunk, ''])])).toEqual(whole);
  });
});
