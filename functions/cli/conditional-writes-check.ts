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
  const { assertConditionalWrites } = await import('../adapters/s3-store.ts');
  await assertConditionalWrites(target.store, instance, { unsafeSkip });
}
