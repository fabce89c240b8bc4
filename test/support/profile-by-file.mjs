#!/usr/bin/env node
// What each test file's wall time went on, from the workers' V8 CPU profiles cut at the file
// boundaries test/support/file-cpu-probe.ts logs (their start and end on the profiles' clock):
//
//   VITEST_FILE_CPU_LOG=/tmp/files.tsv npx vitest run --execArgv=--cpu-prof \
//     --execArgv=--cpu-prof-dir=/tmp/prof --execArgv=--cpu-prof-interval=2000
//   node test/support/profile-by-file.mjs /tmp/files.tsv /tmp/prof/*.cpuprofile
//
// One line per file, the longest first: sampled s, of them idle s (the worker's thread waiting:
// on DuckDB's or libuv's threads, a child, a socket, a timer), garbage collection s, and the
// functions of the project (functions/, infra/, test/) that ran longest in it (self time). Then
// the same functions over the whole run. Samples between files (imports, collection) are counted
// apart. A worker that Vitest stops before its profile is written leaves no profile: its files
// are then missing here.
import { readFileSync } from 'node:fs';

const [logFile, ...profiles] = process.argv.slice(2);
if (!logFile || profiles.length === 0) {
  process.stderr.write('usage: node test/support/profile-by-file.mjs <probe log> <profile>...\n');
  process.exit(2);
}

// Piped into head: a reader gone is the end of the output, not an error.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const seconds = (us) => (us / 1e6).toFixed(2);
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);

/** The probe's files of the worker `pid`, in the order they ran. */
function filesOf(pid) {
  return readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields[0] === pid && fields[6] && fields[7])
    .map(([, file, , , , , start, end]) => ({
      file,
      start: Number(start),
      end: Number(end),
      sampled: 0,
      idle: 0,
      gc: 0,
      own: new Map(),
    }))
    .sort((a, b) => a.start - b.start);
}

/** A sampled function as `name path:line`, the path relative to the checkout; undefined if not the project's. */
function projectFrame({ functionName, url, lineNumber }) {
  const at = url.search(/\/(functions|infra|test)\//);
  return at < 0 ? undefined : `${functionName || '(anonymous)'} ${url.slice(at + 1)}:${lineNumber + 1}`;
}

const files = [];
const overall = new Map();
let between = 0;

for (const path of profiles) {
  const pid = /\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(path)?.[1] ?? '';
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const mine = filesOf(pid);
  files.push(...mine);
  let time = profile.startTime;
  let index = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    while (index < mine.length && mine[index].end < time) index++;
    const file = mine[index]?.start <= time ? mine[index] : undefined;
    if (!file) {
      between += delta;
      return;
    }
    const frame = nodes.get(id);
    file.sampled += delta;
    if (frame.functionName === '(idle)') file.idle += delta;
    if (frame.functionName === '(garbage collector)') file.gc += delta;
    const own = projectFrame(frame);
    if (own) {
      add(file.own, own, delta);
      add(overall, own, delta);
    }
  });
}

const longest = (map, count) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${seconds(us)} ${name}`);

process.stdout.write('sampled s\tidle s\tGC s\tfile\tlongest own functions (self s)\n');
for (const file of files.sort((a, b) => b.sampled - a.sampled)) {
  const row = [seconds(file.sampled), seconds(file.idle), seconds(file.gc), file.file];
  process.stdout.write(`${[...row, longest(file.own, 3).join('; ')].join('\t')}\n`);
}
process.stdout.write(`\nbetween files (imports, collection): ${seconds(between)} s\n`);
process.stdout.write(`the project's functions over the run (self s):\n${longest(overall, 40).join('\n')}\n`);
