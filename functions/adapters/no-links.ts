import { errorCode } from './error-code.ts';

/**
 * Errors of `link()` on a file system that has no hard links: FAT and exFAT (a USB stick), some
 * network (SMB, NAS) and FUSE file systems. EPERM is Linux's and macOS's answer there (a refused
 * permission is EACCES); Windows answers CreateHardLinkW's ERROR_INVALID_FUNCTION, which libuv maps
 * to EISDIR (review R-WINOPS M2), so that one counts on Windows only.
 */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Whether `error`, from `link()`, says the file system has no hard links. */
export const isNoLinksError = (error: unknown, platform: string = process.platform): boolean => {
  const code = errorCode(error) ?? '';
  return NO_LINKS.has(code) || (platform === 'win32' && code === 'EISDIR');
};

/** A lake whose file system cannot make the hard links its create-only writes are made with. */
export class NoHardLinksError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `the lake's file system has no hard links (FAT or exFAT, some network shares), which the lake's create-only writes need: put the lake on NTFS, APFS or ext4 (link to ${path}: ${errorCode(cause)})`,
      { cause },
    );
    this.name = 'NoHardLinksError';
  }
}
