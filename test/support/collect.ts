/** Every item of an async iterable (a store's listing), in order: Node 20 has no `Array.fromAsync`. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
