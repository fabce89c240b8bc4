/**
 * Keeps only the project's own code in a Lambda bundle's source map.
 *
 * With `--enable-source-maps`, Node reads and parses a bundle's whole map when it loads the bundle.
 * ~90 % of a bundle is dependencies (AWS SDK, zod, Powertools), whose mappings made the map 1.2 MB
 * and cost ~15 ms of every cold start. Frames in the project's code still point at the TypeScript
 * file and line; frames inside a dependency show their position in index.mjs (an unmapped segment
 * ends each project stretch, so a dependency frame is never attributed to nearby project code).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface SourceMapV3 {
  version: number;
  sources: string[];
  names?: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
  [field: string]: unknown;
}

/** A segment of the mappings with absolute values; the source fields are absent when unmapped. */
interface Segment {
  line: number;
  column: number;
  source?: number;
  sourceLine?: number;
  sourceColumn?: number;
  name?: number | undefined;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, value) => [char, value]));

function base64Digit(char: string): number {
  const digit = DIGIT.get(char);
  if (digit === undefined) throw new Error(`invalid character "${char}" in source map mappings`);
  return digit;
}

/** A source is the project's when it is not inside a node_modules folder. */
export const isProjectSource = (source: string): boolean => !/(^|[/\\])node_modules[/\\]/.test(source);

/**
 * The segments of a `mappings` field, in order, with absolute values: `line` and `column` in the
 * generated code, then (for a mapped segment) `source`, `sourceLine`, `sourceColumn`, maybe `name`.
 */
function* decodeMappings(mappings: string): Generator<Segment> {
  const state = { source: 0, sourceLine: 0, sourceColumn: 0, name: 0 };
  let line = 0;
  let fields: number[] = [];
  let value = 0;
  let shift = 0;
  let column = 0;
  const segment = (): Segment => {
    const [columnDelta = 0, source = 0, sourceLine = 0, sourceColumn = 0, name = 0] = fields;
    column += columnDelta;
    if (fields.length < 4) return { line, column };
    state.source += source;
    state.sourceLine += sourceLine;
    state.sourceColumn += sourceColumn;
    if (fields.length === 4) return { line, column, ...state, name: undefined };
    state.name += name;
    return { line, column, ...state };
  };
  for (const char of `${mappings};`) {
    if (char !== ',' && char !== ';') {
      const digit = base64Digit(char);
      value += (digit & 31) << shift;
      shift += 5;
      if (digit & 32) continue;
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
      continue;
    }
    if (fields.length > 0) yield segment();
    fields = [];
    if (char === ';') {
      line += 1;
      column = 0;
    }
  }
}

function encodeValue(delta: number): string {
  let rest = delta < 0 ? (-delta << 1) | 1 : delta << 1;
  let text = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    text += BASE64[digit];
  } while (rest > 0);
  return text;
}

/** Writes segments with absolute values back as a `mappings` field (relative values, VLQ). */
function mappingsWriter() {
  const last = { source: 0, sourceLine: 0, sourceColumn: 0, name: 0 };
  const lines: string[] = [];
  let segments: string[] = [];
  let column = 0;
  return {
    write(segment: Segment): void {
      while (lines.length < segment.line) {
        lines.push(segments.join(','));
        segments = [];
        column = 0;
      }
      let text = encodeValue(segment.column - column);
      column = segment.column;
      if (segment.source !== undefined) {
        for (const field of ['source', 'sourceLine', 'sourceColumn'] as const) {
          const value = segment[field] ?? 0;
          text += encodeValue(value - last[field]);
          last[field] = value;
        }
        if (segment.name !== undefined) {
          text += encodeValue(segment.name - last.name);
          last.name = segment.name;
        }
      }
      segments.push(text);
    },
    end(lineCount: number): string {
      while (lines.length < lineCount) {
        lines.push(segments.join(','));
        segments = [];
      }
      return lines.join(';');
    },
  };
}

/**
 * A copy of a version 3 source map without the mappings, sources and names of the sources that
 * `keep` refuses. Each stretch of refused code starts with an unmapped segment, so positions in it
 * resolve to nothing instead of to the project code before it.
 */
export function trimSourceMap(map: SourceMapV3, keep = isProjectSource): SourceMapV3 {
  if (map.version !== 3) throw new Error(`expected a version 3 source map, got version ${map.version}`);
  const sourceIndex = new Map<number, number>();
  const sources: string[] = [];
  map.sources.forEach((source, index) => {
    if (!keep(source)) return;
    sourceIndex.set(index, sources.length);
    sources.push(source);
  });
  const nameIndex = new Map<string, number>();
  const names: string[] = [];
  const keptName = (index: number | undefined): number | undefined => {
    if (index === undefined) return undefined;
    const name = map.names?.[index] ?? '';
    if (!nameIndex.has(name)) {
      nameIndex.set(name, names.length);
      names.push(name);
    }
    return nameIndex.get(name);
  };

  const writer = mappingsWriter();
  // Node resolves a position to the last mapping before it, on its line or an earlier one: the
  // first segment of a refused stretch must end the mapping before it; the rest are not needed.
  let mapped = false;
  for (const segment of decodeMappings(map.mappings)) {
    const source = segment.source === undefined ? undefined : sourceIndex.get(segment.source);
    if (source !== undefined) {
      writer.write({ ...segment, source, name: keptName(segment.name) });
      mapped = true;
    } else if (mapped) {
      writer.write({ line: segment.line, column: segment.column });
      mapped = false;
    }
  }

  let mappings = writer.end(map.mappings.split(';').length);
  // Node's parser reads past a one-field segment that ends the string (taking it for a mapped one);
  // an empty generated line after it keeps the segment unmapped.
  if (!mapped && !mappings.endsWith(';')) mappings += ';';
  const trimmed: SourceMapV3 = { ...map, sources, names, mappings };
  const content = map.sourcesContent;
  if (content) {
    trimmed.sourcesContent = map.sources.flatMap((_, index) =>
      sourceIndex.has(index) ? [content[index] ?? null] : [],
    );
  }
  return trimmed;
}

/** Rewrites a source map file in place with {@link trimSourceMap}. */
export function trimSourceMapFile(file: string): void {
  const map = JSON.parse(readFileSync(file, 'utf8')) as SourceMapV3;
  writeFileSync(file, JSON.stringify(trimSourceMap(map)));
}
