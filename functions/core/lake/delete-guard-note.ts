/**
 * What a "delete it" in a message takes when the lake is on S3: the stack's bucket policy refuses
 * every delete to a principal `retention.deleteAllowedPrincipals` does not name (none by default),
 * so an operator who follows the advice with their usual role meets AccessDenied. Empty for a lake
 * on disk, which has no such guard.
 */
export function deleteGuardNote(location: string): string {
  return location.startsWith('s3://')
    ? ' (on S3 as a principal retention.deleteAllowedPrincipals names: docs/operations.md, "Deleting from the lake")'
    : '';
}
