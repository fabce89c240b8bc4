import type * as z from 'zod';
import { didYouMean } from '../functions/core/did-you-mean.ts';

/**
 * The parts of a zod schema's definition a walk to an object's keys goes through. zod types its
 * `_zod.def` per schema kind; this reads only the fields those kinds have, by their `type`.
 */
interface SchemaNode {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, SchemaNode>;
      innerType?: SchemaNode;
      in?: SchemaNode;
      out?: SchemaNode;
      element?: SchemaNode;
      getter?: () => SchemaNode;
    };
  };
}

/** The schema itself, past the wrappers that do not change what keys it takes. */
function unwrapped(node: SchemaNode | undefined): SchemaNode | undefined {
  let at = node;
  for (let depth = 0; at !== undefined && depth < 32; depth++) {
    const def = at._zod.def;
    // A preprocess is a pipe from a transform of the raw value into the schema that checks it.
    const piped = def.in?._zod.def.type === 'transform' ? def.out : def.in;
    const inner =
      def.type === 'pipe' ? piped : def.type === 'lazy' ? def.getter?.() : (def.innerType ?? undefined);
    if (inner === undefined) return at;
    at = inner;
  }
  return at;
}

/** The keys the schema knows for the object at `path` (none when the path leads elsewhere). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  // zod's public types do not expose a definition's children; SchemaNode names the ones read.
  let node = unwrapped(schema as unknown as SchemaNode);
  for (const segment of path) {
    const def = node?._zod.def;
    const shape = def?.shape;
    const key = String(segment);
    node = unwrapped(
      def?.type === 'array' ? def.element : shape && Object.hasOwn(shape, key) ? shape[key] : undefined,
    );
  }
  const shape = node?._zod.def.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * What to say of the unknown keys of one object: `unknown key(s) "timezone" (did you mean
 * "timeZone"?), "colour"; remove them or fix the spelling`. A key whose near-miss is set too
 * (`isSet`) is a duplicate of it, not a typo: fixing its spelling would make the two clash, and
 * guessing the next-nearest key would send the reader to the wrong one, so it gets its own problem
 * saying to remove it.
 */
export function unknownKeyProblems(
  keys: readonly string[],
  known: readonly string[],
  isSet: (key: string) => boolean = () => false,
): string[] {
  const duplicates: string[] = [];
  const unknown: string[] = [];
  for (const key of keys) {
    const near = didYouMean(key, known);
    if (near !== undefined && isSet(near)) {
      duplicates.push(`"${key}" is "${near}" spelled differently, and "${near}" is set too: remove "${key}"`);
    } else {
      unknown.push(near === undefined ? `"${key}"` : `"${key}" (did you mean "${near}"?)`);
    }
  }
  const rest =
    unknown.length > 0 ? [`unknown key(s) ${unknown.join(', ')}; remove them or fix the spelling`] : [];
  return [...duplicates, ...rest];
}
