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
    const inner =
      def.type === 'pipe' ? def.in : def.type === 'lazy' ? def.getter?.() : (def.innerType ?? undefined);
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
 * `"timezone" (did you mean "timeZone"?)`, or the key alone when no known key is near. When the key
 * meant is set too (`isSet`), the unknown one is a duplicate of it, not a typo of another: guessing
 * the next-nearest key would send the reader to the wrong one.
 */
export function unknownKeyText(
  key: string,
  known: readonly string[],
  isSet: (key: string) => boolean = () => false,
): string {
  const near = didYouMean(key, known);
  if (near === undefined) return `"${key}"`;
  return isSet(near)
    ? `"${key}" duplicates "${near}", which is also set`
    : `"${key}" (did you mean "${near}"?)`;
}
