// SPDX-License-Identifier: AGPL-3.0-or-later
// The DuckDB reference of the case-indicator benchmark. Loads the generated CSV files into an
// in-memory DuckDB (2 threads), runs the query set written by rap_bench_sqlgen, times the best of
// several runs, and checks that its values equal the engine's (rap_bench_engine --values).
//
//   node run.mjs SQL_DIR ENGINE_VALUES [runs]
// Prints one JSON line: {"duckdb_version", "load_s", "compute_s", "values", "mismatches"}.
import { readFileSync } from 'node:fs';
import { DuckDBInstance, version } from '@duckdb/node-api';

const [sqlDir, engineValues, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);

function statements(text) {
  // Statements end with ";\n"; comments start lines with "--".
  return text.split(/;\n/).map((s) => s.trim()).filter((s) => s.length > 0);
}

function fmt(v) {
  if (v === null || v === undefined) return 'null';
  const n = Number(v);
  return Number.isNaN(n) ? 'null' : String(n);
}

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();

let t0 = performance.now();
for (const s of statements(readFileSync(`${sqlDir}/load.sql`, 'utf8'))) {
  await connection.run(s);
}
const loadSeconds = (performance.now() - t0) / 1000;

const queries = statements(readFileSync(`${sqlDir}/queries.sql`, 'utf8'));
let best = Infinity;
let rows = [];
for (let i = 0; i < runs; i++) {
  const collected = [];
  t0 = performance.now();
  for (const q of queries) {
    const reader = await connection.runAndReadAll(q);
    for (const r of reader.getRows()) collected.push(r);
  }
  const seconds = (performance.now() - t0) / 1000;
  best = Math.min(best, seconds);
  rows = collected;
}

// Compare with the engine: same keys, numbers equal to 1e-9 (relative for large values).
const duck = new Map();
for (const r of rows) {
  const [indicator, measure, country, year, by, value, numerator, denominator, p90, records] = r;
  duck.set(`${indicator}|${measure}|${country}|${year}|${by}`,
           [fmt(value), fmt(numerator), fmt(denominator), fmt(p90), String(records)]);
}
const close = (a, b) => {
  if (a === 'null' || b === 'null') return a === b;
  const x = Number(a);
  const y = Number(b);
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
};
let mismatches = 0;
let engineCount = 0;
const report = [];
for (const line of readFileSync(engineValues, 'utf8').split('\n')) {
  if (!line) continue;
  engineCount++;
  const parts = line.split('|');
  const key = parts.slice(0, 5).join('|');
  const mine = parts.slice(5);
  const theirs = duck.get(key);
  if (!theirs) {
    if (++mismatches <= 10) report.push(`DuckDB lacks ${key}`);
    continue;
  }
  duck.delete(key);
  // The denominator of a count is undefined on both sides; compare what both define.
  const ok = close(mine[0], theirs[0]) && close(mine[1], theirs[1]) &&
             (mine[2] === 'null' || theirs[2] === 'null' || close(mine[2], theirs[2])) &&
             close(mine[3], theirs[3]) && mine[4] === theirs[4];
  if (!ok && ++mismatches <= 10) report.push(`${key}: engine ${mine.join(' ')} duckdb ${theirs.join(' ')}`);
}
for (const key of duck.keys()) {
  if (++mismatches <= 10) report.push(`engine lacks ${key}`);
}
for (const r of report) console.error(r);
console.log(JSON.stringify({
  duckdb_version: version(), load_s: loadSeconds, compute_s: best, queries: queries.length,
  values: engineCount, mismatches,
}));
process.exit(mismatches === 0 ? 0 : 1);
