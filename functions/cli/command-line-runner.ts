import { hostname, userInfo } from 'node:os';
import { apiOrigin, type DigestRunner, type DigestTrigger } from '../core/lake/digest-runner.ts';

/** The OS user the process runs as; a process can be given no name (a container's bare uid). */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * The runner the digests of a command-line run record: what the machine says of itself (its host
 * name and the OS user), labelled self-reported in the digest, since whoever runs the command
 * chooses both; and the API it reads, when it reads one. Who signed, if it signs, is in CloudTrail.
 */
export function commandLineRunner(trigger: DigestTrigger, apiBase?: string): DigestRunner {
  return {
    trigger,
    ...(apiBase === undefined ? {} : { api_base: apiOrigin(apiBase) }),
    caller: { kind: 'command-line', self_reported: true, host: hostname(), user: osUser() },
  };
}
