import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../scripts/node-version.mjs';

const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines
  .node;

describe('the Node.js version check', () => {
  it("refuses a Node older than package.json's engines, saying which it needs and which this is", () => {
    expect(nodeVersionProblem('18.19.0', engines)).toBe(
      'domo-activity-lake needs Node.js 20.20 or later (package.json engines); this is v18.19.0: install a newer Node.js (https://nodejs.org)',
    );
    // Before import.meta.dirname (20.11), and after it but before the engines' minor.
    expect(nodeVersionProblem('20.10.0', engines)).toContain('this is v20.10.0');
    expect(nodeVersionProblem('20.19.5', engines)).toContain('this is v20.19.5');
  });

  it('lets the engines version and any later one run', () => {
    for (const version of ['20.20.0', '20.20.2', '21.0.0', '22.12.0', '24.1.0']) {
      expect(nodeVersionProblem(version, engines)).toBeUndefined();
    }
    expect(nodeVersionProblem('18.0.0', undefined)).toBeUndefined();
  });

  it('runs before anything else the command and the npm scripts load', () => {
    const firstImport = (file: string) => /^import .*$/m.exec(readFileSync(file, 'utf8'))?.[0];
    expect(firstImport('bin/domo-activity-lake.js')).toBe("import '../scripts/node-version.mjs';");
    for (const script of ['scripts/build-cli.mjs', 'scripts/test.mjs']) {
      expect(firstImport(script)).toBe("import './node-version.mjs';");
    }
  });
});
