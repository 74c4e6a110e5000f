// duckdb_analyze.mjs — the DuckDB reference of make bench's analyze line: one process that
// reads the units CSV with DuckDB (@duckdb/node-api, its default threads) and computes what
// dcx analyze's tests are made of, per variant overall and per country: units, conversions,
// and revenue's sum and sum of squares (the few tests on these dozen rows cost nothing).
//   node duckdb_analyze.mjs UNITS.csv      (prints the number of rows of the result)
import { DuckDBInstance } from '@duckdb/node-api';

const csv = process.argv[2];
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
await con.run(`CREATE VIEW units AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true)`);
const r = await con.runAndReadAll(`
  SELECT variant, country, COUNT(*) AS n, SUM(converted) AS conversions,
         SUM(revenue) AS revenue, SUM(revenue * revenue) AS revenue_sq
  FROM units GROUP BY GROUPING SETS ((variant), (variant, country))`);
console.log(`${r.getRows().length} rows`);
