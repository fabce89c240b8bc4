import type { Decoded } from './http-request.ts';
import type { Redactor } from './redactor.ts';

/** What a page decodes to: the entries and each one's text as served, parallel. */
interface PageEntries {
  entries: unknown[];
  entryTexts: string[];
  credentialEntries?: number[];
}

/**
 * Shortest credential form looked for in a page: shorter ones (a test's one-letter secret, its
 * two-character Base64) match ordinary text. Real ones are far longer: Domo's secrets are 64 hex
 * digits, its tokens longer still.
 */
export const MIN_CREDENTIAL_FORM = 8;

/**
 * The page with every entry that holds one of `scan`'s credential forms scrubbed (by `scan` only),
 * and its index listed in `credentialEntries`: an API that echoes the request's Authorization
 * header into an entry would otherwise have the credential stored in the lake, in `raw` and in the
 * columns, for as long as the lake keeps it. The ingest quarantines those entries with their text
 * scrubbed.
 *
 * `scan` must know only what every run knows alike, the client secret and the Basic credential,
 * never a run's access tokens: a token is known to the one run it was issued to, so an entry
 * echoing it would be quarantined (id: the hash of the scrubbed text) by that run and stored (id:
 * the hash of the text as served) by any other, one entry in both tables. Tokens expire within
 * the hour, so one echoed into the lake is dead by the time anyone reads it; the secret is not.
 * Fixed forms also bound the cost: they do not grow with every token of a long run.
 *
 * One search of the body's bytes per form, so a clean page (every page, in practice) costs a few
 * `indexOf`s over bytes already in memory; only a page holding a form is looked at entry by entry.
 */
export function withCredentialEntries<T extends PageEntries>(
  page: Decoded<T>,
  body: Buffer,
  scan: Redactor,
): Decoded<T> {
  if (!page.ok) return page;
  const found = scan.forms().filter((form) => form.length >= MIN_CREDENTIAL_FORM && body.includes(form));
  if (found.length === 0) return page;
  const { entries, entryTexts } = page.value;
  const credentialEntries: number[] = [];
  for (let i = 0; i < entryTexts.length; i++) {
    const text = entryTexts[i] as string;
    if (!found.some((form) => text.includes(form))) continue;
    const scrubbed = scan.scrub(text);
    entryTexts[i] = scrubbed;
    entries[i] = parsedOrText(scrubbed);
    credentialEntries.push(i);
  }
  return credentialEntries.length === 0 ? page : { ok: true, value: { ...page.value, credentialEntries } };
}

/**
 * The scrubbed entry parsed, so no copy of the credential stays in memory; the text itself when
 * the scrub cut through JSON syntax (a secret holding `","`): the entry is quarantined either way.
 */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
