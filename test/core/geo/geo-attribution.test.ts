import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GEO_ATTRIBUTION, GEO_MODIFICATIONS } from '../../../functions/core/geo/country-names.ts';

/**
 * CC BY 4.0 §3(a)(1)(B): an adaptation says it was modified. The shipped database cuts, resolves,
 * drops and remaps the sources' ranges, so the attribution every mail carries says so, and the
 * notices file says the same.
 */
const unwrapped = (text: string): string => text.replace(/\s+/g, ' ');
const root = join(import.meta.dirname, '../../..');

describe('the geo data attribution', () => {
  it('says the data was modified, and how', () => {
    expect(GEO_MODIFICATIONS).toMatch(/^modified: /);
    expect(GEO_ATTRIBUTION).toContain(`(${GEO_MODIFICATIONS}).`);
    expect(GEO_ATTRIBUTION).toContain(
      'licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
    );
  });

  it('is in THIRD-PARTY-NOTICES.md and the README with the same modifications', () => {
    expect(unwrapped(readFileSync(join(root, 'THIRD-PARTY-NOTICES.md'), 'utf8'))).toContain(
      `(${GEO_MODIFICATIONS})`,
    );
    expect(unwrapped(readFileSync(join(root, 'README.md'), 'utf8'))).toContain(GEO_MODIFICATIONS);
  });
});
