/** Types of trim-source-map.mjs (plain JavaScript so that `node` runs it in the bundling hook). */

export interface SourceMapV3 {
  version: number;
  sources: string[];
  names?: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
  [field: string]: unknown;
}

/** A source is the project's when it is not inside a node_modules folder. */
export function isProjectSource(source: string): boolean;

/** A copy of `map` with only the mappings, sources and names of the sources `keep` accepts. */
export function trimSourceMap(map: SourceMapV3, keep?: (source: string) => boolean): SourceMapV3;

/** Rewrites a source map file in place with {@link trimSourceMap}. */
export function trimSourceMapFile(file: string): void;
