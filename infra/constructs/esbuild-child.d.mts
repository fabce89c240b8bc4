import type { Plugin } from 'esbuild';

/** Types of esbuild-child.mjs, a plain script so that its process needs no TypeScript loader. */
export declare function literalSchemaKeys(text: string): string;
export declare const literalSchemaKeysPlugin: Plugin;
