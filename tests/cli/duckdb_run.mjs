// duckdb_run.mjs — runs a dcx sql query in DuckDB (the @duckdb/node-api engine) over a CSV
// loaded as text, and prints the result as CSV with a header, as a warehouse client would.
//   node tests/cli/duckdb_run.mjs UNITS.csv QUERY.sql [SETUP.sql] > SUMMARY.csv
// SETUP.sql runs after the load (to give a column a type: BOOLEAN, DOUBLE). A failing
// query prints DuckDB's message to standard error and exits 1.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, queryFile, setupFile] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const quoted = csv.replaceAll("'", "''");
try {
  await con.run(`CREATE TABLE units AS SELECT * FROM read_csv('${quoted}', all_varchar = true, header = true)`);
  if (setupFile) await con.run(readFileSync(setupFile, 'utf8'));
  const reader = await con.runAndReadAll(readFileSync(queryFile, 'utf8'));
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'bigint' ? v.toString() : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
  };
  const lines = [reader.columnNames().join(',')];
  for (const row of reader.getRows()) lines.push(row.map(cell).join(','));
  process.stdout.write(lines.join('\n') + '\n');
} catch (e) {
  process.stderr.write(`duckdb: ${e.message}\n`);
  process.exit(1);
}
