/**
 * `node --import tsx bench/geo-file.ts [--lookups N] [--runs N]`: what the shipped geo database
 * costs, read from its file a page at a time as the CLI and the Lambdas read it, and held in
 * memory: random public IPv4 lookups (a fixed sequence, new in each run) per second and µs of CPU
 * per lookup, with the pages read per lookup; and the file's checksum check (`cdk synth`, the CLI's
 * first lookup, a `GEO_DB_PATH` file), in ms. Medians of the runs. Figures, not assertions: on a
 * shared machine compare CPU, not wall time.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureGeoDatabaseFile } from '../functions/adapters/geo-database-build.ts';
import { openGeoFile } from '../functions/adapters/geo-file.ts';
import { checkGeoDatabaseFile, GeoDatabase, type GeoFile } from '../functions/core/geo/geo-database.ts';
import { Prng } from '../functions/simulator/prng.ts';
import { median } from './median.ts';

const { values } = parseArgs({
  options: { lookups: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
});
const lookups = Number(values.lookups);
const runs = Number(values.runs);

/** Not private, shared, loopback, link-local, benchmark, multicast or reserved, by first two bytes. */
const isPublic = (a: number, b: number): boolean =>
  !(
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b < 128) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19))
  );

function publicAddresses(n: number, seed: number): string[] {
  const prng = new Prng(seed);
  const next = () => prng.next();
  const byte = () => Math.floor(next() * 256);
  const out: string[] = [];
  while (out.length < n) {
    const [a, b] = [byte(), byte()];
    if (isPublic(a, b)) out.push(`${a}.${b}.${byte()}.${byte()}`);
  }
  return out;
}

/** Lookups per second, CPU µs per lookup, and the file's pages read per lookup. */
function timeLookups(database: GeoDatabase, addresses: readonly string[], reads: () => number) {
  const readsBefore = reads();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const address of addresses) database.lookup(address);
  const wallMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  return {
    perSecond: addresses.length / (wallMs / 1000),
    cpuUs: (user + system) / addresses.length,
    reads: (reads() - readsBefore) / addresses.length,
  };
}

const path = ensureGeoDatabaseFile();
const file = openGeoFile(path);
const inMemory = GeoDatabase.decode(readFileSync(path));
const paged: ReturnType<typeof timeLookups>[] = [];
const held: ReturnType<typeof timeLookups>[] = [];
const check: { wallMs: number; cpuMs: number }[] = [];
for (let run = 1; run <= runs; run++) {
  // A database opened afresh each run: its pages are read as a new process reads them.
  let pagesRead = 0;
  const counted: GeoFile = {
    size: file.size,
    read: (offset, length) => {
      pagesRead++;
      return file.read(offset, length);
    },
  };
  const addresses = publicAddresses(lookups, run);
  paged.push(timeLookups(GeoDatabase.open(counted), addresses, () => pagesRead));
  held.push(timeLookups(inMemory, addresses, () => 0));
  const cpu = process.cpuUsage();
  const start = performance.now();
  checkGeoDatabaseFile(file);
  const { user, system } = process.cpuUsage(cpu);
  check.push({ wallMs: performance.now() - start, cpuMs: (user + system) / 1000 });
}
file.close();

const m = (rows: readonly Record<string, number>[], key: string) => median(rows.map((r) => r[key] ?? 0));
const fixed = (n: number, digits = 1) => n.toFixed(digits);
console.log(`${path} (${(file.size / 1e6).toFixed(2)} MB)`);
const load = loadavg().map((l) => l.toFixed(1));
console.log(`${cpus().length} CPUs, load ${load.join(' ')}; medians of ${runs} runs`);
console.log(
  `from the file: ${Math.round(m(paged, 'perSecond')).toLocaleString('en-US')} lookups/s, ` +
    `${fixed(m(paged, 'cpuUs'))} µs CPU per lookup, ${fixed(m(paged, 'reads'), 2)} pages read per lookup`,
);
console.log(
  `in memory:     ${Math.round(m(held, 'perSecond')).toLocaleString('en-US')} lookups/s, ` +
    `${fixed(m(held, 'cpuUs'))} µs CPU per lookup`,
);
console.log(`checksum check: ${fixed(m(check, 'wallMs'))} ms wall, ${fixed(m(check, 'cpuMs'))} ms CPU`);
