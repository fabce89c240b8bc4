import type { LakeTarget } from './lake-target.ts';

/**
 * An S3 lake must refuse create-only writes on keys that exist and conditional rewrites of keys
 * that changed: never storing an hour twice rests on it, and so does an `enrich` beside an ingest
 * (its rewrite would otherwise write over the late events the ingest merged into the hour in
 * between). So the commands that write the lake probe it first; the probe and the S3 SDK load only
 * for an S3 lake.
 */
export async function checkConditionalWrites(
  target: LakeTarget,
  instance: string,
  unsafeSkip: boolean | undefined,
): Promise<void> {
  if (target.spec.kind !== 's3') return;
  const { assertConditionalWrites, ConditionalWritesIgnoredError } = await import('../adapters/s3-store.ts');
  try {
    await assertConditionalWrites(target.store, instance, { unsafeSkip });
  } catch (error) {
    // The way past it is the command line's: the ingest Lambda, which raises the same error, has no
    // such option (and its store is S3).
    if (!(error instanceof ConditionalWritesIgnoredError)) throw error;
    error.message = `${error.message}. Only for a throwaway test store (s3rver) may you go on anyway, with --unsafe-skip-conditional-write-check`;
    throw error;
  }
}
