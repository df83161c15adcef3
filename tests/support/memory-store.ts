import type { ListableStore } from '../../site/workspace/session-client.ts';

/** localStorage, faked with a Map, keys listable by index as the real one's. */
export function memoryStore(entries: Record<string, string> = {}): ListableStore & { map: Map<string, string>; all(): Record<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    all: () => Object.fromEntries(map),
  };
}
