/**
 * Whether `arn` matches `pattern` as IAM's `ArnLike` does: the six colon-separated parts compared
 * one by one (the resource, the last, keeps any further colons), each as a glob where `*` matches
 * any run of characters (`/` included) and `?` one character, case-sensitively.
 */
export function arnLike(pattern: string, arn: string): boolean {
  const parts = (value: string): string[] => {
    const split = value.split(':');
    return [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const wanted = parts(pattern);
  const given = parts(arn);
  if (pattern.split(':').length < 6 || arn.split(':').length < 6) return false;
  return wanted.every((part, i) => globMatches(part, given[i] ?? ''));
}

function globMatches(glob: string, value: string): boolean {
  const source = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}
