import { createHash } from 'node:crypto';
/**
 * Caps on one response body. A real 1,000-entry page of the Activity Log is ~475 KB of JSON
 * (~33 KB gzip); the defaults leave a margin of ~17× on it while keeping a hostile answer (a gzip
 * bomb, an endless stream) to a few MB of memory per request in flight.
 */
export interface BodyLimits {
  /**
   * Most bytes a body may declare in `Content-Length` (what crosses the wire). `fetch` hides the
   * bytes of a compressed body it unpacks, so an undeclared compressed length is bounded by
   * `maxBodyBytes` (gzip never shrinks data that carries entries) and by the request timeout.
   */
  maxWireBytes: number;
  /** Most bytes of the body after `Content-Encoding` is undone: the memory one page may take. */
  maxBodyBytes: number;
  /**
   * How a refusal names the cap; default the setting's own name (`maxBodyBytes`, `maxWireBytes`).
   * A cap that no setting changes (the token answer's) names itself, so no one raises the page's.
   */
  name?: string;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxWireBytes: 8 * 1024 * 1024,
  maxBodyBytes: 8 * 1024 * 1024,
};

/** Error bodies are only quoted in one line: the start is enough, the rest is not read. */
export const ERROR_BODY_BYTES = 64 * 1024;

/**
 * A body as read: its bytes, and its text, decoded from UTF-8 when first asked for. A decoder that
 * can work on the bytes (the audit page, ~475 KB) never makes the whole text.
 */
export class ResponseBody {
  private decoded: string | undefined;

  constructor(readonly bytes: Buffer) {}

  text(): string {
    this.decoded ??= this.bytes.toString('utf8');
    return this.decoded;
  }
}

export type BodyRead =
  | { ok: true; body: ResponseBody }
  /** `headSha256`: of the bytes read up to the cap, which name an entry too large to read alone. */
  | { ok: false; reason: string; headSha256?: string };

/**
 * Reads a body chunk by chunk and stops, cancelling the rest, as soon as it passes its cap: memory
 * stays at the cap whatever the server sends. A 2xx body past the cap is refused (`ok: false`, a
 * broken answer to retry); any other body is cut at `ERROR_BODY_BYTES`, since only its start is
 * quoted. Stream errors (timeouts, dropped connections) are thrown to the caller. `nameOversized`:
 * a body declared past the cap is read up to it all the same, so that its refusal carries the hash
 * that names it (an entry asked for alone, too-large-entries.ts); refused unread, the stand-in was
 * named by its offset and range, and a read at another offset or range kept a second record of it.
 */
export async function readBoundedBody(
  response: Response,
  limits: BodyLimits,
  nameOversized = false,
): Promise<BodyRead> {
  const success = response.status >= 200 && response.status < 300;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (success && declared > limits.maxWireBytes && !nameOversized) {
    await response.body?.cancel().catch(() => {});
    return {
      ok: false,
      reason: `declares ${declared} bytes, more than ${limits.name ?? 'maxWireBytes'} (${limits.maxWireBytes})`,
    };
  }
  const encoded =
    (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase() !== 'identity';
  // Unencoded, the bytes read are the wire bytes: both caps apply to them.
  const cap = success
    ? Math.min(limits.maxBodyBytes, encoded ? Number.POSITIVE_INFINITY : limits.maxWireBytes)
    : ERROR_BODY_BYTES;
  const read = await readUpTo(response, cap);
  if (read.over && success) {
    return {
      ok: false,
      reason: `is longer than ${capName(limits, cap)} (${cap} bytes${encoded ? ' unpacked' : ''})`,
      headSha256: sha256Of(read.chunks),
    };
  }
  return { ok: true, body: new ResponseBody(Buffer.concat(read.chunks)) };
}

const sha256Of = (chunks: readonly Uint8Array[]): string => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
};

/** How a refusal names the cap of `bytes` on the bytes read: its own name, else its setting's. */
const capName = (limits: BodyLimits, bytes: number): string =>
  limits.name ?? (bytes === limits.maxBodyBytes ? 'maxBodyBytes' : 'maxWireBytes');

/** The body's first chunks up to `cap` bytes; `over` when there was more (and the rest was cancelled). */
async function readUpTo(response: Response, cap: number): Promise<{ chunks: Uint8Array[]; over: boolean }> {
  const chunks: Uint8Array[] = [];
  if (!response.body) return { chunks, over: false };
  const reader = response.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, over: false };
    const room = cap - total;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel().catch(() => {});
      return { chunks, over: true };
    }
    chunks.push(value);
    total += value.byteLength;
  }
}
