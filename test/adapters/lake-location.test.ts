import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { openLake, parseLakeSpec } from '../../functions/adapters/lake-location.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';

/** `text` as a regular expression matching it literally. */
const escaped = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

describe('lake location', () => {
  withoutConfiguredEndpoints();

  it('opens a directory lake, ./lake by default', async () => {
    const lake = await openLake();
    expect(lake).toBeInstanceOf(FsObjectStore);
    expect(lake.location).toBe(join(process.cwd(), 'lake'));
    expect((await openLake('/tmp/some-lake')).location).toBe('/tmp/some-lake');
  });

  it('opens an S3 lake with the given client, or one of its own from the environment', async () => {
    const lake = await openLake('s3://audit-lake.example/domo/prod/', { s3Client: client });
    expect(lake).toBeInstanceOf(S3ObjectStore);
    expect(lake.location).toBe('s3://audit-lake.example/domo/prod/');
    expect((await openLake('s3://audit-lake', { s3Client: client })).location).toBe('s3://audit-lake/');
    const own = await openLake('s3://audit-lake/p');
    expect(own).toBeInstanceOf(S3ObjectStore);
    expect(await (own as S3ObjectStore).endpoint()).toMatch(/eu-west-1/);
  });

  it('parses bucket and prefix', () => {
    expect(parseLakeSpec('s3://my-bucket/a/b')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'a/b' });
    expect(parseLakeSpec('S3://my-bucket/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseLakeSpec(' ./lake ')).toEqual({ kind: 'fs', dir: './lake' });
  });

  it('explains malformed or unsupported locations', () => {
    expect(() => parseLakeSpec('s3:/my-bucket/lake')).toThrow(
      /malformed S3 URI: write s3:\/\/bucket\/prefix/,
    );
    expect(() => parseLakeSpec('s3:my-bucket')).toThrow(/malformed S3 URI/);
    expect(() => parseLakeSpec('s3://')).toThrow(/names no bucket/);
    expect(() => parseLakeSpec('s3:///lake')).toThrow(/names no bucket/);
    expect(() => parseLakeSpec('http://example.com/lake')).toThrow(/unsupported lake location .*\(http\)/);
    expect(() => parseLakeSpec('s3a://my-bucket/lake')).toThrow(/unsupported.*s3:\/\/bucket\/prefix/);
    expect(() => parseLakeSpec('arn:aws:s3:::my-bucket')).toThrow(/unsupported/);
    expect(() => parseLakeSpec('')).toThrow(/empty/);
  });

  it('refuses a leading ~ that no shell expanded, naming the full path to write', () => {
    const full = (path: string) => path.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => parseLakeSpec('~/lakes/acme')).toThrow(
      new RegExp(
        `did not expand its leading ~ .*write the full path, ${full(join(homedir(), 'lakes/acme'))}$`,
      ),
    );
    expect(() => parseLakeSpec(' ~ ')).toThrow(new RegExp(`write the full path, ${full(homedir())}$`));
    // Only a shell's `~`, `~/` and `~name/`: a folder whose name merely holds a tilde is a folder.
    for (const dir of ['~lake', 'lakes/~/acme', './~/acme'])
      expect(parseLakeSpec(dir)).toEqual({ kind: 'fs', dir });
  });

  // Review R-WINOPS M6: PowerShell does not expand ~ for node, and Windows users type `\`.
  it('refuses the Windows spelling ~\\ and ~name\\ too, saying why no shell expanded it', () => {
    expect(() => parseLakeSpec('~\\lake')).toThrow(
      new Error(
        `the shell did not expand its leading ~ (PowerShell and cmd do not expand it), so it names a folder "~" in the working directory: write the full path, ${join(homedir(), '\\lake')}`,
      ),
    );
    expect(() => parseLakeSpec('~someone-else\\lake')).toThrow(
      /folder "~someone-else" in the working directory/,
    );
    expect(() => parseLakeSpec('lakes\\~\\acme')).not.toThrow();
  });

  it('refuses a leading ~name/ (a user home) that no shell expanded, in the same words', () => {
    expect(() => parseLakeSpec('~someone-else/lakes/acme')).toThrow(
      new Error(
        'the shell did not expand its leading ~ (it was quoted, or came from a crontab, a unit file or YAML), so it names a folder "~someone-else" in the working directory: write the full path, the home directory of someone-else followed by /lakes/acme',
      ),
    );
    // The current user's home is known: the full path is spelled out.
    const me = userInfo().username;
    expect(() => parseLakeSpec(`~${me}/lake`)).toThrow(
      new RegExp(
        `folder "~${me}" in the working directory: write the full path, ${escaped(join(homedir(), 'lake'))}$`,
      ),
    );
  });

  it('validates the bucket name and the prefix', () => {
    expect(() => parseLakeSpec('s3://My_Bucket/lake')).toThrow(/"My_Bucket" is not a valid S3 bucket name/);
    expect(() => parseLakeSpec('s3://ab/lake')).toThrow(/3 to 63 characters/);
    expect(() => parseLakeSpec('s3://192.168.1.1/lake')).toThrow(/IP address/);
    expect(() => parseLakeSpec('s3://a..b/lake')).toThrow(/adjacent periods/);
    expect(() => parseLakeSpec('s3://my-bucket/a//b')).toThrow(/empty, "\." or "\.\." segment/);
    expect(() => parseLakeSpec('s3://my-bucket/../b')).toThrow(/segment/);
  });
});
