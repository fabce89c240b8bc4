// The Node.js version check every entry point imports first (bin/domo-activity-lake.js, the npm
// scripts' build-cli.mjs and test.mjs). ES modules run their imports in order, so this runs before
// a module that needs a newer Node fails on an older one with a stack trace (build-cli.mjs's
// import.meta.dirname, Node 20.11). Plain syntax only: it has to load on the Node it refuses.
import { readFileSync } from 'node:fs';

/** The numbers of a version, `20.20.2` or `v20.20`: [major, minor]. */
const majorMinor = (version) => {
  const [major = 0, minor = 0] = String(version).replace(/^v/, '').split('.').map(Number);
  return [major, minor];
};

/**
 * Why Node `version` cannot run this project, whose package.json says `engines` (`>=20.20`); undefined
 * when it can, or when `engines` names no lower bound this reads.
 */
export function nodeVersionProblem(version, engines) {
  const wanted = /^\s*>=\s*v?(\d+(?:\.\d+)?)/.exec(engines ?? '')?.[1];
  if (wanted === undefined) return undefined;
  const [major, minor] = majorMinor(version);
  const [wantedMajor, wantedMinor] = majorMinor(wanted);
  if (major > wantedMajor || (major === wantedMajor && minor >= wantedMinor)) return undefined;
  return `domo-activity-lake needs Node.js ${wanted} or later (package.json engines); this is v${String(version).replace(/^v/, '')}: install a newer Node.js (https://nodejs.org)`;
}

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const problem = nodeVersionProblem(process.versions.node, packageJson.engines?.node);
if (problem !== undefined) {
  process.stderr.write(`error: ${problem}\n`);
  process.exit(1);
}
