import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { mergeAreas, readAreaMapping } from '../../src/normalise/areas.js';
import type { InputSource } from '../../src/read/inputs.js';

function source(text: string | Buffer, name = 'skolomraden.csv'): InputSource {
  return {
    name,
    path: null,
    fromFolder: false,
    open: async function* () {
      yield typeof text === 'string' ? Buffer.from(text) : text;
    },
  };
}

async function mappingError(text: string): Promise<InputError> {
  try {
    await readAreaMapping(source(text));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('readAreaMapping', () => {
  it('maps folded school names to tidy area names', async () => {
    const mapping = await readAreaMapping(source('Skola;Skolområde\nÄlvskolan;Norr\n Ekskolan  F-9 ; Söder  väst \n'));
    expect(mapping).toEqual(
      new Map([
        ['alvskolan', 'Norr'],
        ['ekskolanf9', 'Söder väst'],
      ]),
    );
  });

  it('reads a Windows-1252, comma-separated file', async () => {
    // "Skola,Område\nÅsskolan,Norr\n" with Å = C5 and å = E5 in Windows-1252.
    const bytes = Buffer.concat([
      Buffer.from('Skola,Omr', 'latin1'),
      Buffer.from([0xe5]),
      Buffer.from('de\n', 'latin1'),
      Buffer.from([0xc5]),
      Buffer.from('sskolan,Norr\n', 'latin1'),
    ]);
    expect(await readAreaMapping(source(bytes))).toEqual(new Map([['asskolan', 'Norr']]));
  });

  it('the same school twice with the same area is fine', async () => {
    expect(await readAreaMapping(source('Skola;Område\nEk;Norr\nEK;Norr\n'))).toEqual(new Map([['ek', 'Norr']]));
  });

  it('the same school with two areas is an error naming the line', async () => {
    const error = await mappingError('Skola;Område\nEk;Norr\nEk;Söder\n');
    expect(error.message).toBe('skolomraden.csv:3: Ek is mapped to both Norr and Söder');
  });

  it('a header without a school or area column is an error', async () => {
    const error = await mappingError('Skola;Rektor\nEk;Anna\n');
    expect(error.message).toMatch(/^skolomraden\.csv:1: the area mapping needs a school column/);
  });

  it('blank cells are an error naming the first line and the count', async () => {
    const error = await mappingError('Skola;Område\nEk;\nBjörk;Norr\n;Söder\n');
    expect(error.message).toBe('skolomraden.csv:2: a school or area is blank in the area mapping (2 lines)');
  });

  it('reads a file with bare-CR line ends (Excel for Mac), a UTF-16 file without a byte-order mark', async () => {
    const text = 'Skola;Skolområde\rÄlvskolan;Norr\rEkskolan;Söder\r';
    const expected = new Map([
      ['alvskolan', 'Norr'],
      ['ekskolan', 'Söder'],
    ]);
    expect(await readAreaMapping(source(text))).toEqual(expected);
    expect(await readAreaMapping(source(Buffer.from(text.replace(/\r/g, '\r\n'), 'utf16le')))).toEqual(expected);
  });

  it('a quote that never closes is an error naming its line, not the rest of the file read into one cell', async () => {
    const error = await mappingError('Skola;Område\nEk;"Norr\nBjörk;Söder\nAsp;Väster\n');
    expect(error.message).toBe('skolomraden.csv:2: a quote that never closes in the area mapping');
  });

  it('a cell quoted over two lines is read whole', async () => {
    expect(await readAreaMapping(source('Skola;Område\n"Ek\nskolan";Norr\nBjörk;Söder\n'))).toEqual(
      new Map([
        ['ekskolan', 'Norr'],
        ['bjork', 'Söder'],
      ]),
    );
  });

  it('an empty file is an error', async () => {
    const error = await mappingError('');
    expect(error.message).toBe('skolomraden.csv: the file is empty (no header line)');
  });
});

describe('mergeAreas', () => {
  it('folds the config school names and tidies their areas', () => {
    expect(mergeAreas({ 'Älvskolan': '  Norr ' }, null)).toEqual(new Map([['alvskolan', 'Norr']]));
  });

  it('the file wins where both name a school', () => {
    const merged = mergeAreas({ Älvskolan: 'Norr', Ek: 'Väster' }, new Map([['alvskolan', 'Söder']]));
    expect(merged).toEqual(
      new Map([
        ['alvskolan', 'Söder'],
        ['ek', 'Väster'],
      ]),
    );
  });

  it('neither → empty', () => {
    expect(mergeAreas(undefined, null).size).toBe(0);
  });
});
