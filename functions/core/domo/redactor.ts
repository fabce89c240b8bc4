/** Removes known secrets from text that is about to leave the client (error messages, log fields). */
export interface Redactor {
  /** Remembers another secret (each access token, as it is issued). */
  add(secret: string): void;
  scrub(text: string): string;
}

export const REDACTED = '[redacted]';

/**
 * A last line of defence: the client never puts a secret into a message on purpose, but text
 * from Domo (error bodies, HTML pages) or from the network stack is echoed into messages and
 * might contain one. Every form the client sends a secret in is registered: raw, URL-encoded and
 * the Basic credential.
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const known = new Set<string>();
  const add = (secret: string) => {
    if (!secret) return;
    known.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) known.add(encoded);
  };
  for (const secret of secrets) add(secret);
  return {
    add,
    scrub(text) {
      let out = text;
      // Longest first, so a secret that contains another is removed whole.
      for (const secret of [...known].sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join(REDACTED);
      }
      return out;
    },
  };
}
