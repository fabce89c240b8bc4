/** Throws unless `bucket` is a valid S3 bucket name (general purpose bucket rules). */
export function assertBucketName(bucket: string): void {
  const problem =
    bucket.length < 3 || bucket.length > 63
      ? 'it must be 3 to 63 characters long'
      : !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)
        ? 'use only lower-case letters, digits, "." and "-", starting and ending with a letter or digit'
        : bucket.includes('..')
          ? 'it must not contain two adjacent periods'
          : /^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)
            ? 'it must not look like an IP address'
            : undefined;
  if (problem) throw new Error(`"${bucket}" is not a valid S3 bucket name: ${problem}`);
}
