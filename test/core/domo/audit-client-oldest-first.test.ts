import { describe, expect, it } from 'vitest';
import { virtualClient, virtualTime } from './support/virtual-time.ts';

// Review R-ONCALL H1: the read asking for the oldest hours gets the client's paced slots first,
// whatever order the reads came in.
describe('the audit client paced', () => {
  it('sends the waiting page with the oldest start first', async () => {
    const time = virtualTime();
    const starts: number[] = [];
    const fetch = async (url: string) => {
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      starts.push(Number(new URL(url).searchParams.get('start')));
      return new Response('[]');
    };
    const client = virtualClient(time, fetch, { requestsPerSecond: 2 });
    const page = (start: number) =>
      client.fetchPage({ start, end: start + 3_599_999, limit: 1000, offset: 0 });
    // Asked newest first: all wait for the token, then for the pace's slots.
    await time.run(Promise.all([page(3 * 3_600_000), page(2 * 3_600_000), page(3_600_000)]));
    expect(starts).toEqual([3_600_000, 2 * 3_600_000, 3 * 3_600_000]);
  });

  it('sends a page asked with a later priority after the others, whatever its start', async () => {
    const time = virtualTime();
    const starts: number[] = [];
    const fetch = async (url: string) => {
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      starts.push(Number(new URL(url).searchParams.get('start')));
      return new Response('[]');
    };
    const client = virtualClient(time, fetch, { requestsPerSecond: 2 });
    const page = (start: number, priority?: number) =>
      client.fetchPage({ start, end: start + 3_599_999, limit: 1000, offset: 0 }, undefined, priority);
    // The ingest's later pulls: the oldest hours, asked first, yet they move no watermark.
    await time.run(
      Promise.all([page(3_600_000, Number.POSITIVE_INFINITY), page(3 * 3_600_000), page(2 * 3_600_000)]),
    );
    expect(starts).toEqual([2 * 3_600_000, 3 * 3_600_000, 3_600_000]);
  });
});
