/**
 * The byte-level reader must find exactly the rows, fields and line numbers the string parser
 * finds (src/read/csv.ts, tested on its own), however the input is cut into chunks.
 */
import { describe, expect, it } from 'vitest';
import { ByteCsvReader, unquote } from '../../src/read/byte-csv.js';
import { CsvParser } from '../../src/read/csv.js';
import type { Encoding } from '../../src/read/decode.js';

interface Parsed {
  header: string[];
  rows: { fields: string[]; line: number }[];
  blank: number;
  encoding: string;
}

async function viaBytes(bytes: Buffer, chunkSizes: () => number, forced?: Encoding): Promise<Parsed> {
  const out: Parsed = { header: [], rows: [], blank: 0, encoding: '' };
  const reader: ByteCsvReader = new ByteCsvReader(
    {
      header(fields) {
        out.header = fields;
      },
      row(row) {
        out.rows.push({ fields: Array.from({ length: row.count }, (_, i) => reader.text(row, i)), line: row.line });
      },
    },
    forced,
  );
  async function* chunks() {
    for (let i = 0; i < bytes.length; ) {
      const size = Math.max(1, chunkSizes());
      yield bytes.subarray(i, i + size);
      i += size;
    }
  }
  await reader.readAll(chunks());
  out.blank = reader.blankLines;
  out.encoding = reader.info.encoding;
  return out;
}

function viaString(text: string): Parsed {
  const out: Parsed = { header: [], rows: [], blank: 0, encoding: '' };
  let first = true;
  const parser = new CsvParser((fields, line) => {
    if (first) {
      out.header = fields;
      first = false;
    } else out.rows.push({ fields, line });
  });
  parser.push(text);
  parser.end();
  out.blank = parser.blankLines;
  return out;
}

/** A deterministic pseudo-random CSV with quotes, delimiters and line breaks inside fields. */
function randomCsv(seed: number): string {
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
  return lines.join(next(2) === 0 ? '\n' : '\r\n') + (next(2) === 0 ? '\n' : '');
}

describe('ByteCsvReader matches the string parser', () => {
  it('on random inputs in random chunk sizes', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const text = randomCsv(seed);
      const expected = viaString(text);
      let state = seed * 7919;
      const sizes = () => {
        state = (Math.imul(state, 48271) + 11) >>> 0;
        return 1 + (state % 17);
      };
      const actual = await viaBytes(Buffer.from(text, 'utf8'), sizes);
      expect(actual.header).toEqual(expected.header);
      expect(actual.rows).toEqual(expected.rows);
      expect(actual.blank).toBe(expected.blank);
    }
  });

  it('reads Windows-1252 bytes as text, whole or one byte at a time', async () => {
    const bytes = Buffer.from('Skola;Ämne\nÖstra skolan;Svenska som andraspråk\n', 'latin1');
    for (const size of [1, 3, 1024]) {
      const parsed = await viaBytes(bytes, () => size);
      expect(parsed.encoding).toBe('windows-1252');
      expect(parsed.header).toEqual(['Skola', 'Ämne']);
      expect(parsed.rows).toEqual([{ fields: ['Östra skolan', 'Svenska som andraspråk'], line: 2 }]);
    }
  });

  it('reads Windows-1252 0x80–0x9F (en dash, euro, curly quotes) right, in the header and in cells', async () => {
    // "Skola–kod;Namn\nS:t Eriks – skolan;”Solen” €\n" in Windows-1252: 0x96 = –, 0x94 = ”, 0x80 = €.
    const bytes = Buffer.concat([
      Buffer.from('Skola', 'latin1'), Buffer.from([0x96]), Buffer.from('kod;Namn\nS:t Eriks ', 'latin1'), Buffer.from([0x96]),
      Buffer.from(' skolan;', 'latin1'), Buffer.from([0x94]), Buffer.from('Solen', 'latin1'), Buffer.from([0x94, 0x20, 0x80, 0x0a]),
    ]);
    for (const size of [1, 1024]) {
      const parsed = await viaBytes(bytes, () => size);
      expect(parsed.encoding).toBe('windows-1252');
      expect(parsed.header).toEqual(['Skola–kod', 'Namn']);
      expect(parsed.rows).toEqual([{ fields: ['S:t Eriks – skolan', '”Solen” €'], line: 2 }]);
    }
  });

  it('reads UTF-16LE with a byte-order mark', async () => {
    const text = 'Skola\tÄmne\r\nÅsen\tMA\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const parsed = await viaBytes(bytes, () => 5);
    expect(parsed.encoding).toBe('utf-16le');
    expect(parsed.rows).toEqual([{ fields: ['Åsen', 'MA'], line: 2 }]);
    const forced = await viaBytes(bytes, () => 3, 'utf-16le');
    expect(forced.header).toEqual(['Skola', 'Ämne']);
    expect(forced.rows).toEqual([{ fields: ['Åsen', 'MA'], line: 2 }]);
  });
});

describe('unquote', () => {
  it('undoes RFC 4180 quoting and keeps text after the closing quote', () => {
    expect(unquote('"a""b"')).toBe('a"b');
    expect(unquote('"a;b"')).toBe('a;b');
    expect(unquote('"ab"cd')).toBe('abcd');
    expect(unquote('plain')).toBe('plain');
  });
});
