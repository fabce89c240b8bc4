import { describe, expect, it } from 'vitest';
import {
  looksLikeClientId,
  looksLikeSecret,
  shownClientId,
} from '../../../functions/core/domo/shown-client-id.ts';

describe('shownClientId', () => {
  it.each([
    '7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f',
    '7C1E2D3F-4A5B-6C7D-8E9F-0A1B2C3D4E5F',
    'sim-client',
    'demo-client',
    'client-abc',
    'a',
    'reporting_client.v2',
    'ingest-2026',
  ])('shows the id %s whole', (id) => {
    expect(looksLikeClientId(id)).toBe(true);
    expect(shownClientId(id)).toBe(`'${id}'`);
  });

  it.each([
    'f3a9c1d2e4b5a6978812abcdef0123456789abcdef0123456789abcdef012345',
    'F3A9C1D2E4B5A6978812ABCDEF012345',
    'S3cr3tValue7f3a9c2ezz',
    'eyJhbGciOiJIUzI1NiJ9abcDEF123',
  ])('says a secret-like id %s looks swapped, without showing it', (id) => {
    expect(looksLikeClientId(id)).toBe(false);
    expect(looksLikeSecret(id)).toBe(true);
    const shown = shownClientId(id);
    expect(shown).toContain('the client id and secret look swapped');
    expect(shown).not.toContain(id.slice(0, 6));
  });

  it.each(['my pass phrase', 'x'.repeat(41), 'S3cr3t+Value/7f3a9c2e-zz', 'id\u001b[31m'])(
    'hides an id %j that looks like neither',
    (id) => {
      expect(looksLikeClientId(id)).toBe(false);
      expect(shownClientId(id)).toBe(
        `(id not shown: its ${id.length} characters do not look like a client id)`,
      );
    },
  );
});
