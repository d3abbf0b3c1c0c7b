// The DuckDB baseline: loads the Goutang JSON Lines files into an in-memory DuckDB database
// (load.sql) and runs the six checks' queries (one .sql file each) at one or more as-of dates,
// printing every bucket as a CSV row: as_of,obligation,unit,period_start,status.
//
//   node bench/duckdb/run.mjs --registry FILE --events FILE --as-of DATE [--as-of DATE ...]
//                             [--sql DIR] [--threads N] [--timings]
//
// --sql DIR reads load.sql and the queries from DIR (default: this script's directory);
// --threads N caps DuckDB's threads (default: DuckDB's own, one per core); --timings writes
// the seconds of the load and of each query to standard error. DuckDB comes from the npm
// package @duckdb/node-api, pinned by package-lock.json here and installed by tools/setup
// (`npm ci`); nothing of mandate's build depends on it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const checks = ['village_monthly_activity', 'bank_sms_weekly', 'three_ones_leaflet', 'operator_screen_share',
                'bank_screen_share', 'internal_training_cadence'];

function usage(message) {
  process.stderr.write(`run.mjs: ${message}\nusage: node run.mjs --registry FILE --events FILE --as-of DATE [--as-of DATE ...] ` +
                       `[--sql DIR] [--threads N] [--timings]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const options = { dates: [], sql: dirname(fileURLToPath(import.meta.url)), threads: null, timings: false };
for (let i = 0; i < args.length; ++i) {
  const value = () => (i + 1 < args.length ? args[++i] : usage(`${args[i]} needs a value`));
  switch (args[i]) {
    case '--registry': options.registry = value(); break;
    case '--events': options.events = value(); break;
    case '--as-of': options.dates.push(value()); break;
    case '--sql': options.sql = value(); break;
    case '--threads': options.threads = value(); break;
    case '--timings': options.timings = true; break;
    default: usage(`unknown argument ${args[i]}`);
  }
}
if (!options.registry || !options.events) usage('--registry and --events are required');
if (options.dates.length === 0) usage('--as-of is required');
for (const d of options.dates) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) usage(`--as-of needs a date like 2023-12-31, not '${d}'`);
if (options.threads !== null && !/^[1-9]\d*$/.test(options.threads)) usage('--threads needs a positive whole number');

let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch (e) {
  process.stderr.write(`run.mjs: @duckdb/node-api is not installed (tools/setup runs npm ci in ${options.sql}): ${e.message}\n`);
  process.exit(77);
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const read = (name) => readFileSync(join(options.sql, name), 'utf8');
const csv = (value) => (/[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value));
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

const config = options.threads ? { threads: options.threads } : {};
const instance = await duckdb.DuckDBInstance.create(':memory:', config);
const connection = await instance.connect();

let started = process.hrtime.bigint();
await connection.run(`SET VARIABLE files = [${quote(options.registry)}, ${quote(options.events)}]`);
await connection.run(read('load.sql'));
if (options.timings) process.stderr.write(`load ${seconds(started).toFixed(3)} s\n`);

const queries = checks.map((name) => [name, read(`${name}.sql`)]);
const out = [];
for (const date of options.dates) {
  await connection.run(`SET VARIABLE as_of = DATE ${quote(date)}`);
  for (const [name, sql] of queries) {
    started = process.hrtime.bigint();
    const reader = await connection.runAndReadAll(sql);
    if (options.timings) process.stderr.write(`${name} as of ${date}: ${seconds(started).toFixed(3)} s\n`);
    for (const row of reader.getRows()) {
      if (row.length !== 4) {
        process.stderr.write(`run.mjs: ${name}.sql gives ${row.length} columns, not (obligation, unit, period_start, status)\n`);
        process.exit(1);
      }
      out.push([date, ...row].map(csv).join(','));
    }
  }
}
out.push('');
process.stdout.write(out.join('\n'));
connection.closeSync();
instance.closeSync();
