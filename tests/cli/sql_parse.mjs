// sql_parse.mjs — parses a query with the SQL parser of Apache DataFusion (sqlparser-rs,
// through @guanmingchiu/sqlparser-ts from the npm registry) in a warehouse's dialect, for
// the warehouses no test can run: BigQuery, Snowflake, Spark.
//   node tests/cli/sql_parse.mjs DIALECT QUERY.sql
// DIALECT: bigquery | snowflake | spark | postgres | duckdb | sqlite. Exits 0 and prints
// the number of statements when the text parses, else prints the parser's error, exit 1.
import { readFileSync } from 'node:fs';
import { init, parse } from '@guanmingchiu/sqlparser-ts';

const names = { bigquery: 'bigquery', snowflake: 'snowflake', spark: 'spark',
                postgres: 'postgresql', duckdb: 'duckdb', sqlite: 'sqlite' };
const [dialect, file] = process.argv.slice(2);
await init();
try {
  const statements = parse(readFileSync(file, 'utf8'), names[dialect]);
  console.log(`${statements.length} statement(s)`);
} catch (e) {
  console.log(String(e.message));
  process.exit(1);
}
