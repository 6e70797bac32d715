// @ts-check
/**
 * Child process of the benchmark: runs one analysis (gap or transition) as SQL in DuckDB over the
 * CSV file and writes the result rows as JSON. Started by bench.mjs in its own process so its
 * wall time and peak RSS are measured alone, like ska-analyze's.
 *
 *   node bench/duckdb-run.mjs gap|transition FILE.csv OUT.json
 *
 * Prints one JSON line on stdout: { rows, query_s, threads, duckdb_version }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [analysis, csv, out] = process.argv.slice(2);
if ((analysis !== 'gap' && analysis !== 'transition') || !csv || !out) {
  process.stderr.write('usage: node bench/duckdb-run.mjs gap|transition FILE.csv OUT.json\n');
  process.exit(2);
}

/** @param {string} text a SQL string literal */
function quote(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

const sql = readFileSync(new URL(`./sql/${analysis}.sql`, import.meta.url), 'utf8').replaceAll('{{CSV}}', quote(csv));
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const started = performance.now();
const reader = await connection.runAndReadAll(sql);
const rows = reader.getRowObjectsJS();
const querySeconds = (performance.now() - started) / 1000;
writeFileSync(out, JSON.stringify({ rows }));
const settings = (await connection.runAndReadAll("SELECT current_setting('threads') AS threads, version() AS version")).getRowObjectsJS()[0];
process.stdout.write(
  `${JSON.stringify({ rows: rows.length, query_s: querySeconds, threads: Number(settings?.threads), duckdb_version: String(settings?.version) })}\n`,
);
connection.closeSync();
instance.closeSync();
