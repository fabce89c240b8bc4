import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A CLI bundle to run, and the label its figures are printed under. */
interface CliBundle {
  label: string;
  bundle: string;
}

/**
 * The bundles of the A/B scripts' `--cli LABEL=<dist dir or cli.mjs>` options (a bare path is its
 * own label), each checked to exist before any run starts.
 */
export function cliBundlesOf(args: readonly string[] | undefined): CliBundle[] {
  const clis = (args ?? []).map((arg) => {
    const [label, path] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, arg];
    const bundle = path.endsWith('.mjs') ? path : join(path, 'cli.mjs');
    if (!existsSync(bundle)) throw new Error(`no CLI bundle at ${bundle}`);
    return { label, bundle };
  });
  if (clis.length === 0) throw new Error('give at least one --cli LABEL=<dist dir or cli.mjs>');
  return clis;
}
