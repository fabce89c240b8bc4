import { outBesideLake } from './out-beside-lake.ts';

/**
 * The demo's `--out` as the user would type it: the one given, or else `out/` next to the lake.
 * The refusal of an --out in the lake, the messages and the report step then all mean the directory
 * that is written.
 */
export const demoOutDirectory = (lake: string, out: string | undefined): string => out ?? outBesideLake(lake);
