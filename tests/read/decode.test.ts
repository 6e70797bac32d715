import { describe, expect, it } from 'vitest';
import { ENCODING_NAMES, decodeChunks, decodeWindows1252, type DecodeInfo, type Encoding } from '../../src/read/decode.js';

async function* chunksOf(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

interface Decoded {
  text: string;
  pieces: string[];
  info: DecodeInfo;
}

async function decode(parts: readonly Uint8Array[], forced?: Encoding): Promise<Decoded> {
  const info: DecodeInfo = { encoding: 'ascii', bom: false, replaced: false };
  const pieces: string[] = [];
  for await (const piece of decodeChunks(chunksOf(parts), forced, info)) pieces.push(piece);
  return { text: pieces.join(''), pieces, info };
}

const bytes = (...values: number[]): Buffer => Buffer.from(values);
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('decodeChunks: UTF-8', () => {
  it('drops a UTF-8 byte-order mark and reports it', async () => {
    const result = await decode([Buffer.concat([bytes(0xef, 0xbb, 0xbf), utf8('Skola;Åk\nÄlvskolan;6\n')])]);
    expect(result.text).toBe('Skola;Åk\nÄlvskolan;6\n');
    expect(result.info).toEqual({ encoding: 'utf-8', bom: true, replaced: false });
  });

  it('detects UTF-8 without a byte-order mark', async () => {
    const result = await decode([utf8('Ämne;Omdöme\nSlöjd;Uppnått\n')]);
    expect(result.text).toBe('Ämne;Omdöme\nSlöjd;Uppnått\n');
    expect(result.info).toEqual({ encoding: 'utf-8', bom: false, replaced: false });
  });

  it('joins a multi-byte character split across chunks (å = C3 A5)', async () => {
    const result = await decode([ascii('Sk'), bytes(0xc3), bytes(0xa5, 0x6c)]);
    expect(result.text).toBe('Skål');
    expect(result.info.encoding).toBe('utf-8');
  });

  it('joins a three-byte character split after its first byte (– = E2 80 93)', async () => {
    const result = await decode([bytes(0x61, 0xe2), bytes(0x80, 0x93, 0x62)]);
    expect(result.text).toBe('a–b');
    expect(result.info.encoding).toBe('utf-8');
  });

  it('reports invalid bytes in a UTF-8 file as replaced', async () => {
    const result = await decode([utf8('å\n'), bytes(0x61, 0xff, 0x62)]);
    expect(result.info).toEqual({ encoding: 'utf-8', bom: false, replaced: true });
    expect(result.text).toBe('å\na\uFFFDb');
  });
});

describe('decodeChunks: ASCII and Windows-1252', () => {
  it('pure ASCII stays "ascii"', async () => {
    const result = await decode([ascii('a;b\n'), ascii('1;2\n')]);
    expect(result.text).toBe('a;b\n1;2\n');
    expect(result.info).toEqual({ encoding: 'ascii', bom: false, replaced: false });
  });

  it('decodes Windows-1252 bytes E5 E4 F6 as "åäö"', async () => {
    const result = await decode([bytes(0x41, 0x3b, 0xe5, 0xe4, 0xf6, 0x0a)]);
    expect(result.text).toBe('A;åäö\n');
    expect(result.info).toEqual({ encoding: 'windows-1252', bom: false, replaced: false });
  });

  it('decodes 0x96 (en dash in Windows-1252, not in ISO-8859-1) as "–"', async () => {
    const result = await decode([bytes(0x2d, 0x96, 0x2d, 0xe5)]);
    expect(result.text).toBe('-–-å');
  });

  it('a file ASCII in its first chunk and Windows-1252 in a later one', async () => {
    const result = await decode([ascii('Skola;Betyg\n'), ascii('Ek;C\n'), bytes(0xc5, 0x6b, 0x65, 0x72, 0x3b, 0x42, 0x0a)]);
    expect(result.text).toBe('Skola;Betyg\nEk;C\nÅker;B\n');
    expect(result.info.encoding).toBe('windows-1252');
  });

  it('a Windows-1252 byte at the very end of the first non-ASCII chunk is not taken for a cut UTF-8 character', async () => {
    // "Skolområde\n" in Windows-1252, split right after the å (E5): E5 could start a UTF-8
    // sequence, but the next chunk shows it does not.
    const result = await decode([ascii('Skolomr'), bytes(0xe5), ascii('de\n')]);
    expect(result.text).toBe('Skolområde\n');
    expect(result.info.encoding).toBe('windows-1252');
  });
});

describe('decodeChunks: UTF-16', () => {
  it('decodes UTF-16LE with a byte-order mark', async () => {
    const result = await decode([Buffer.concat([bytes(0xff, 0xfe), Buffer.from('Åk;Betyg\n6;C\n', 'utf16le')])]);
    expect(result.text).toBe('Åk;Betyg\n6;C\n');
    expect(result.info).toEqual({ encoding: 'utf-16le', bom: true, replaced: false });
  });

  it('decodes UTF-16LE split in the middle of a code unit', async () => {
    const body = Buffer.concat([bytes(0xff, 0xfe), Buffer.from('ö;x', 'utf16le')]);
    const result = await decode([body.subarray(0, 3), body.subarray(3)]);
    expect(result.text).toBe('ö;x');
  });

  it('decodes UTF-16BE with a byte-order mark', async () => {
    // "Å" = U+00C5, "k" = U+006B, big-endian.
    const result = await decode([bytes(0xfe, 0xff, 0x00, 0xc5, 0x00, 0x6b)]);
    expect(result.text).toBe('Åk');
    expect(result.info).toEqual({ encoding: 'utf-16be', bom: true, replaced: false });
  });
});

describe('decodeChunks: forced encoding', () => {
  it('windows-1252 forced on UTF-8 bytes reads them as two characters', async () => {
    const result = await decode([utf8('å')], 'windows-1252');
    expect(result.text).toBe('Ã¥');
    expect(result.info).toEqual({ encoding: 'windows-1252', bom: false, replaced: false });
  });

  it('forced utf-8 still drops a UTF-8 byte-order mark', async () => {
    const result = await decode([Buffer.concat([bytes(0xef, 0xbb, 0xbf), utf8('ä')])], 'utf-8');
    expect(result.text).toBe('ä');
    expect(result.info).toEqual({ encoding: 'utf-8', bom: true, replaced: false });
  });

  it('forced utf-8 on ASCII reports utf-8', async () => {
    const result = await decode([ascii('abc')], 'utf-8');
    expect(result.info.encoding).toBe('utf-8');
  });

  it('the option names map to encodings', () => {
    expect(ENCODING_NAMES['latin1']).toBe('windows-1252');
    expect(ENCODING_NAMES['utf8']).toBe('utf-8');
    expect(ENCODING_NAMES['utf-16']).toBe('utf-16le');
  });
});

describe('decodeWindows1252', () => {
  it('maps 0x80–0x9F by the Windows-1252 table and the rest as Latin-1', () => {
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x96, 0x97, 0x93, 0x94, 0x8a, 0x9f, 0xe5, 0xe4, 0xf6, 0xc5, 0x41]))).toBe('€–—“”ŠŸåäöÅA');
    // Bytes Windows-1252 leaves undefined keep their code (not dropped).
    expect(decodeWindows1252(Uint8Array.from([0x81, 0x8d, 0x8f, 0x90, 0x9d]))).toBe('\u0081\u008d\u008f\u0090\u009d');
    expect(decodeWindows1252(Buffer.from('plain', 'latin1').subarray(1, 4))).toBe('lai');
  });
});
