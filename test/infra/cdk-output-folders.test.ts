import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { removeCdkOutputFolders } from '../support/cdk-output-folders.ts';

/**
 * The end of every test file (test/setup.ts): the CDK output folders made in it are removed, and
 * those CDK did not make itself are named (the file then fails).
 */
describe('the CDK output folders a test file makes', () => {
  it('removes those of an App built without an outdir, synthesized or not, naming none', () => {
    const built = new App({ builtinCloudFormationValidation: false });
    const synthesized = new App({ builtinCloudFormationValidation: false }).synth().directory;
    expect(existsSync(built.outdir)).toBe(true);
    expect(path.basename(built.outdir)).toMatch(/^cdk\.out/);
    expect(removeCdkOutputFolders()).toEqual([]);
    expect(existsSync(built.outdir)).toBe(false);
    expect(existsSync(synthesized)).toBe(false);
  });

  it('names and removes one the file made for an outdir and kept, and only those', () => {
    const kept = mkdtempSync(path.join(tmpdir(), 'cdk.out-kept-'));
    const other = mkdtempSync(path.join(tmpdir(), 'not-cdk-'));
    try {
      new App({ outdir: kept }).synth();
      expect(removeCdkOutputFolders()).toEqual([kept]);
      expect(existsSync(kept)).toBe(false);
      expect(existsSync(other)).toBe(true);
      // Named once: the next file is not blamed for it.
      expect(removeCdkOutputFolders()).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
