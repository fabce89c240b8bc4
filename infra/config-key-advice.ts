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
 * Keys written for another that no spelling check reaches (`secretName` is far from `secret`), as
 * other tools and AWS's own names have them: the keys meant, the first the object knows offered, so
 * one name serves each section (`to` is `recipients` in report, `email` in alarms; review R-CONFIG2 L4).
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  secretname: ['secret'],
  secretid: ['secret'],
  secretarn: ['secret'],
  kmskeyarn: ['secretKmsKeyArn'],
  kmskeyid: ['secretKmsKeyArn'],
  apiurl: ['apiBase'],
  baseurl: ['apiBase'],
  url: ['apiBase'],
  from: ['sender'],
  to: ['recipients', 'email'],
  emails: ['email', 'recipients'],
  tz: ['timeZone', 'docTimeZone'],
  timezone: ['docTimeZone'],
  cron: ['schedule'],
  database: ['databaseName'],
  workgroup: ['workGroupName'],
};

/** The known key `key` most likely meant: a near spelling, or one `key` is another name for. */
function meantKey(key: string, known: readonly string[]): { near: string; synonym: boolean } | undefined {
  const near = didYouMean(key, known);
  if (near !== undefined) return { near, synonym: false };
  const synonym = SYNONYMS[key.toLowerCase()]?.find((meant) => known.includes(meant));
  return synonym === undefined ? undefined : { near: synonym, synonym: true };
}

/**
 * Key names of the Domo client's credentials (compared lower-case, without `_`/`-`): typed into
 * cdk.json, whose values land in the synthesized template and often in git, instead of the secret.
 */
const CREDENTIAL_KEY =
  /^(domo)?(client(id|secret)|clientcredentials|password|apikey|apisecret|accesstoken|token)$/;

const isCredentialKey = (key: string): boolean => CREDENTIAL_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));

/**
 * The problem of credential keys among `keys`, which names them only (their values are the
 * secret): where they belong, and to rotate a secret that a committed or shared file exposed.
 */
function credentialKeysProblem(keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  const names = keys.map((key) => `"${key}"`).join(', ');
  return [
    `${names} ${keys.length > 1 ? 'look like' : 'looks like'} the Domo client's credentials, which do not belong in cdk.json (synth writes its values into the template, and the file is often committed): remove ${keys.length > 1 ? 'them' : 'it'} and put the client id and secret into the instance's secret instead (README, "4. Put the Domo client id and secret into the secret"). If the file was committed or shared with the values in it, create a new API client in Domo, put its credentials in and revoke the old one (docs/operations.md, "Rotating the secret")`,
  ];
}

/**
 * The nesting a dotted key such as `"alarms.email"` meant, when its first part is a key of the
 * object: cdk.json keys are names, not paths (`-c activityLake.alarms.email=…` reads the same way).
 */
function nestingMeant(key: string, known: readonly string[]): string | undefined {
  const parts = key.split('.');
  if (parts.length < 2 || parts.some((part) => part === '') || !known.includes(parts[0] as string)) {
    return undefined;
  }
  const nested = parts
    .slice(1)
    .reverse()
    .reduce((inner, part) => `{ "${part}": ${inner} }`, '…');
  return `"${key}" is a path, not a key: nest it as "${parts[0]}": ${nested} (inside the "${parts[0]}" object if there is one) and remove "${key}"`;
}

/**
 * What to say of the unknown keys of one object: `unknown key(s) "timezone" (did you mean
 * "timeZone"?), "colour"; remove them or fix the spelling`. A key whose near-miss is set too
 * (`isSet`) is a duplicate of it, not a typo: fixing its spelling would make the two clash, and
 * guessing the next-nearest key would send the reader to the wrong one, so it gets its own problem
 * saying to remove it, or, when the two differ (`sameValue`: the shipped `"recipients": []` beside
 * the user's `"reciepients"`), to move its value over first.
 */
export function unknownKeyProblems(
  keys: readonly string[],
  known: readonly string[],
  isSet: (key: string) => boolean = () => false,
  sameValue: (key: string, near: string) => boolean = () => true,
): string[] {
  const credentials = keys.filter(isCredentialKey);
  const nestings = keys.flatMap((key) => nestingMeant(key, known) ?? []);
  const duplicates: string[] = [];
  const unknown: string[] = [];
  const others = keys.filter((key) => !isCredentialKey(key) && nestingMeant(key, known) === undefined);
  for (const key of others) {
    const meant = meantKey(key, known);
    const near = meant?.near;
    if (meant !== undefined && near !== undefined && isSet(near)) {
      const fix = sameValue(key, near)
        ? `remove "${key}"`
        : `their values differ: move the value of "${key}" to "${near}" and remove "${key}"`;
      const what = meant.synonym ? `another name for "${near}"` : `"${near}" spelled differently`;
      duplicates.push(`"${key}" is ${what}, and "${near}" is set too: ${fix}`);
    } else {
      unknown.push(near === undefined ? `"${key}"` : `"${key}" (did you mean "${near}"?)`);
    }
  }
  const rest =
    unknown.length > 0 ? [`unknown key(s) ${unknown.join(', ')}; remove them or fix the spelling`] : [];
  return [...credentialKeysProblem(credentials), ...nestings, ...duplicates, ...rest];
}
