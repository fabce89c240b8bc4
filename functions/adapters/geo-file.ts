import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { GeoFile } from '../core/geo/geo-database.ts';

/**
 * A database file opened for reading at any offset. The descriptor stays open until `close` (a
 * container's database is loaded once and kept for the life of the process, never closed).
 */
export function openGeoFile(file: string): GeoFile & { close(): void } {
  const fd = openSync(file, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return {
    size,
    read(offset, length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < bytes.length) {
        const read = readSync(fd, bytes, done, bytes.length - done, offset + done);
        if (read === 0) break;
        done += read;
      }
      return done === bytes.length ? bytes : bytes.subarray(0, done);
    },
    close: () => closeSync(fd),
  };
}
