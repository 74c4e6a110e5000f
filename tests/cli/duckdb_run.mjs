// duckdb_run.mjs — runs a dcx sql query in DuckDB (the @duckdb/node-api engine) over a CSV
// loaded as text, and prints the result as CSV with a header, as a warehouse client would.
//   node tests/cli/duckdb_run.mjs UNITS.csv QUERY.sql > SUMMARY.csv
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, queryFile] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const quoted = csv.replaceAll("'", "''");
await con.run(`CREATE TABLE units AS SELECT * FROM read_csv('${quoted}', all_varchar = true, header = true)`);
const reader = await con.runAndReadAll(readFileSync(queryFile, 'utf8'));
const cell = (v) => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? String(v) : String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
};
const lines = [reader.columnNames().join(',')];
for (const row of reader.getRows()) lines.push(row.map(cell).join(','));
process.stdout.write(lines.join('\n') + '\n');
