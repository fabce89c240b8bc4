import type {
  ObjectVersion,
  ObjectVersionLister,
  PutOptions,
  StoredObject,
} from '../../functions/core/ports.ts';
import { MemoryObjectStore } from './memory-store.ts';

/** A memory store that keeps versions as a versioned S3 bucket does: every put, every delete marker. */
export class VersionedMemoryStore extends MemoryObjectStore implements ObjectVersionLister {
  readonly versions: ObjectVersion[] = [];
  /** Each key's last version: the current one, unless it is a delete marker. */
  private readonly latest = new Map<string, ObjectVersion>();

  override putNow(key: string, body: Uint8Array, options: PutOptions = {}): { etag: string } {
    const result = super.putNow(key, body, options);
    this.record({
      key,
      versionId: `v${this.versions.length + 1}`,
      deleteMarker: false,
      etag: result.etag,
      size: body.length,
    });
    return result;
  }

  /** As S3's GET on a versioned bucket: the current version's id with its bytes. */
  override async get(key: string): Promise<StoredObject | undefined> {
    const found = await super.get(key);
    const latest = this.latestOf(key);
    return found && latest && !latest.deleteMarker ? { ...found, versionId: latest.versionId } : found;
  }

  /** What `aws s3 rm` does on a versioned bucket: a delete marker, the versions kept. */
  delete(key: string): void {
    this.objects.delete(key);
    this.record({ key, versionId: `v${this.versions.length + 1}`, deleteMarker: true });
  }

  async listVersions(prefix: string): Promise<ObjectVersion[]> {
    return this.versions
      .filter((v) => v.key.startsWith(prefix))
      .map((v) => ({ ...v, isLatest: this.latestOf(v.key) === v }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  private latestOf(key: string): ObjectVersion | undefined {
    return this.latest.get(key);
  }

  private record(version: ObjectVersion): void {
    this.versions.push(version);
    this.latest.set(version.key, version);
  }
}
