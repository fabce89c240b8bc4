import type { ObjectVersion, ObjectVersionLister, PutOptions } from '../../functions/core/ports.ts';
import { MemoryObjectStore } from './memory-store.ts';

/** A memory store that keeps versions as a versioned S3 bucket does: every put, every delete marker. */
export class VersionedMemoryStore extends MemoryObjectStore implements ObjectVersionLister {
  readonly versions: ObjectVersion[] = [];

  override putNow(key: string, body: Uint8Array, options: PutOptions = {}): { etag: string } {
    const result = super.putNow(key, body, options);
    this.versions.push({
      key,
      versionId: `v${this.versions.length + 1}`,
      deleteMarker: false,
      etag: result.etag,
      size: body.length,
    });
    return result;
  }

  /** What `aws s3 rm` does on a versioned bucket: a delete marker, the versions kept. */
  delete(key: string): void {
    this.objects.delete(key);
    this.versions.push({ key, versionId: `v${this.versions.length + 1}`, deleteMarker: true });
  }

  async listVersions(prefix: string): Promise<ObjectVersion[]> {
    return this.versions.filter((v) => v.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key));
  }
}
