/**
 * Values a container remembers for a short while, saving a read on every request: a change to the
 * source shows after at most `ttlMs`. Bounded: it forgets everything once it holds 1000 entries.
 */
export function expiringCache<V>(ttlMs: number, clock: () => number) {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return async (key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true) => {
    const cached = entries.get(key);
    if (cached && cached.expiresAt > clock()) return cached.value;
    const value = await load();
    if (entries.size >= 1000) entries.clear();
    if (keep(value) && ttlMs > 0) entries.set(key, { value, expiresAt: clock() + ttlMs });
    else entries.delete(key);
    return value;
  };
}
