// duckdb_time.mjs — times queries in DuckDB (@duckdb/node-api) over a CSV loaded once into
// a table named units (column types detected, as a warehouse table would have them).
//   node bench/duckdb_time.mjs UNITS.csv QUERY.sql ...
// prints one line per query: the best wall time of 3 runs in seconds, and its file name.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, ...queries] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
await con.run(`CREATE TABLE units AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true)`);
for (const file of queries) {
  const sql = readFileSync(file, 'utf8');
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    await con.runAndReadAll(sql);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(`${best.toFixed(3)} ${file}`);
}
