import { it } from 'vitest';
import { RecordReader, readTextTable, bytesOf, sniffUtf16, MAX_QUOTED_BYTES, type RecordOptions } from '../../src/read/records.js';

async function* split(bytes: Uint8Array, size: number) { for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size); }
async function run(bytes: Uint8Array, size: number, opts: RecordOptions & { expectFieldsFromFirst?: boolean } = {}) {
  const t = await readTextTable(split(bytes, size), opts);
  return JSON.stringify({ r: t.records, b: t.brokenQuotes, bl: t.blankLines, e: t.info, d: t.delimiter, le: t.lineEnd });
}
it('probe', async () => {
  const le = Buffer.from('Skola;Ämne\nÅsen;MA\n', 'utf16le');
  for (const s of [1, 2, 3, 4, 5, 7, 1000]) console.log('le', s, await run(le, s));
  const bom8 = Buffer.concat([Buffer.from([0xef,0xbb,0xbf]), Buffer.from('Skola;Ämne\nÅsen;MA\n')]);
  for (const s of [1, 2, 3, 1000]) console.log('bom8', s, await run(bom8, s));
  const bom16 = Buffer.concat([Buffer.from([0xff,0xfe]), le]);
  for (const s of [1, 2, 1000]) console.log('bom16', s, await run(bom16, s));
  const cr = Buffer.from('a;b\r"x\ry";1\rz;2\r');
  for (const s of [1, 2, 3, 4, 1000]) console.log('cr', s, await run(cr, s));
  const open = Buffer.from('a;b\n1;"open\n2;3\n');
  for (const s of [1, 1000]) console.log('open', s, await run(open, s));
  const stray = Buffer.from('a;b;c\n1;"oops;3\n4;5;6\n7;8;9"\n10;11;12\n');
  for (const s of [1, 1000]) console.log('stray', s, await run(stray, s, { expectFieldsFromFirst: true }));
  const big = Buffer.from('a;b\n1;"' + 'x'.repeat(MAX_QUOTED_BYTES + 10) + '\n2;3\n');
  for (const s of [65536, 1 << 22]) { const t = await readTextTable(split(big, s)); console.log('big', s, JSON.stringify({ r: t.records, b: t.brokenQuotes })); }
  const big2 = Buffer.from('a;b\n1;"' + 'x\n'.repeat(600000) + '2;3\n');
  { const t = await readTextTable(split(big2, 65536)); console.log('big2', t.records.length, JSON.stringify(t.records.slice(0,3)), t.brokenQuotes); }
  console.log(sniffUtf16(Buffer.from('Skola;Ämne\n')), sniffUtf16(Buffer.from('Skola;Ämne\n', 'latin1')));
  console.log(await run(Buffer.from(''), 10), await run(Buffer.from('a;b\n;"";\n  \n'), 1, {keepBlank: true}));
});
