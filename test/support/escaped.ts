/** `text` read literally inside a RegExp: a path (a space, a dot, a bracket in it) matched as written. */
export const escaped = (text: string): string => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
