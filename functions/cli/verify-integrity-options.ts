import { existsSync, readFileSync } from 'node:fs';
import { errorMessage } from '../core/error-message.ts';
import {
  type AcceptedFinding,
  AcceptedFindingsError,
  parseAcceptedList,
} from '../core/lake/accepted-findings.ts';
import type { AcceptedListChain } from '../core/lake/accepted-list-chain.ts';
import { digestPublicKey } from '../core/lake/digest-public-key.ts';
import { type NotedHead, NotedHeadError, parseNotedHead } from '../core/lake/verify-noted-head.ts';
import { UsageError } from './usage-error.ts';

/**
 * The digest public key as base64 DER, from `--public-key`: a file holding it as PEM, as base64
 * (`aws kms get-public-key --query PublicKey --output text`) or as raw DER, or the base64 inline.
 */
function readPublicKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bytes = existsSync(value) ? readKeyFile(value) : Buffer.from(value, 'utf8');
  const text = bytes.toString('latin1');
  const base64 =
    /^[\sA-Za-z0-9+/=-]*$/.test(text) || text.includes('-----BEGIN')
      ? text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
      : bytes.toString('base64');
  try {
    digestPublicKey(base64);
  } catch (error) {
    // A path that does not exist was read as an inline key; say the file is missing first.
    const why = existsSync(value)
      ? errorMessage(error)
      : `there is no such file, and it is not a key given inline either (${errorMessage(error)})`;
    throw new UsageError(`--public-key ${value}: ${why}. ${KEY_ADVICE}`);
  }
  return base64;
}

/** The bytes of a `--public-key` file; one that cannot be read (a directory, no permission) is a usage error. */
function readKeyFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`--public-key ${file}: it cannot be read (${errorMessage(error)}). ${KEY_ADVICE}`);
  }
}

const KEY_ADVICE =
  'Give the file written by the command of the stack output DigestPublicKeyCommand (or a PEM of that key).';

/**
 * The findings an `--accept` file lists, and the chain it names; a file that is missing or not such
 * a list is a usage error.
 */
function readAcceptedFindings(file: string): { findings: AcceptedFinding[]; chain?: AcceptedListChain } {
  let json: unknown;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    json = JSON.parse(text);
  } catch (error) {
    // The parser quotes the text it stopped at, newlines included; the command prints one line.
    const reason = errorMessage(error).replaceAll('\r', '\\r').replaceAll('\n', '\\n');
    const banner = /^\s*> /.test(text)
      ? ' It starts with the lines `npm run` prints before the output: write the report with `npm run -s cli -- verify …` (or the bin), or delete the lines before its first "{".'
      : '';
    throw new UsageError(
      `--accept ${file}: ${reason}.${banner} Give a JSON file: the report of verify --integrity --json whose findings you investigated, or a list of those findings.`,
    );
  }
  try {
    return parseAcceptedList(json, `--accept ${file}`);
  } catch (error) {
    if (error instanceof AcceptedFindingsError) {
      throw new UsageError(
        error.staleDigestFinding
          ? `${error.message} Run verify --integrity --json again, check that the finding is still the digest you investigated, and accept that report instead.`
          : error.message,
      );
    }
    throw error;
  }
}

/** A head noted earlier, from `--expect-head`; one that is not one is a usage error. */
function readNotedHead(value: string): NotedHead {
  try {
    return parseNotedHead(value);
  } catch (error) {
    if (error instanceof NotedHeadError) throw new UsageError(`--expect-head: ${error.message}`);
    throw error;
  }
}

/**
 * `--public-key`, `--accept` and `--expect-head`, which only the integrity check reads, read;
 * `--require-anchor`, which only judges its pass, refused without it.
 */
export function integrityOptions(values: {
  integrity?: boolean;
  'public-key'?: string;
  accept?: string[];
  'expect-head'?: string[];
  'require-anchor'?: boolean;
}) {
  if (values['require-anchor'] && !values.integrity) {
    throw new UsageError(
      '--require-anchor asks that something outside the lake anchor the digest chain: use it with --integrity',
    );
  }
  if (values['public-key'] !== undefined && !values.integrity) {
    throw new UsageError('--public-key checks digest signatures: use it with --integrity');
  }
  if (values.accept !== undefined && !values.integrity) {
    throw new UsageError('--accept lists known findings of the integrity check: use it with --integrity');
  }
  if (values['expect-head'] !== undefined && !values.integrity) {
    throw new UsageError('--expect-head checks a noted head of the digest chain: use it with --integrity');
  }
  const notedHeads = values['expect-head']?.map(readNotedHead);
  const lists = values.accept?.map(readAcceptedFindings);
  return {
    publicKey: readPublicKey(values['public-key']),
    accepted: lists?.flatMap((list) => list.findings),
    acceptedFrom: lists?.flatMap((list) => (list.chain === undefined ? [] : [list.chain])),
    ...(notedHeads === undefined ? {} : { notedHeads }),
  };
}
