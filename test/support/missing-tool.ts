import { expect, it } from 'vitest';

/**
 * Stands in for the checks that need a Debian package this machine lacks: a local run passes but
 * says, in its output, what it did not check; in CI (CI set; .ci/run installs the package) it fails.
 */
export function missingToolTest(pkg: string, unchecked: string): void {
  it(`needs ${pkg}: apt-get install -y ${pkg} (CI installs it; this run did NOT check ${unchecked})`, () => {
    console.warn(`${unchecked} NOT checked: ${pkg} is missing (apt-get install -y ${pkg})`);
    expect(process.env.CI, `CI must install ${pkg} (.ci/run does)`).toBeFalsy();
  });
}
