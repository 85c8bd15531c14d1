/**
 * Answers from keyless providers that change slowly (rates, advisories, holidays, guides) are kept in
 * the Workers Cache API, one entry per provider request, so a busy day makes few outbound calls.
 */

/** The part of the Workers `Cache` the tools use; tests pass a named cache of their own. */
export type ToolCache = Pick<Cache, "match" | "put">;

/** What a cached load returns: the value, and when it was first retrieved from the provider. */
export interface Retrieved<T> {
  value: T;
  retrievedAt: string;
}

/** Lifetimes in seconds, chosen per kind of data (how often the provider changes it). */
export const cacheLifetimes = {
  rates: 60 * 60,
  advisories: 6 * 60 * 60,
  holidays: 7 * 24 * 60 * 60,
  guides: 24 * 60 * 60,
} as const;

interface Entry<T> {
  value: T;
  retrievedAt: string;
  expiresAt: string;
}

// A synthetic host: entries are never served to browsers, only read back by the tools.
const keyBase = "https://tool-cache.mylo.invalid/";

/** The platform's default cache, or undefined where the runtime has none. */
export function defaultToolCache(): ToolCache | undefined {
  const storage = (globalThis as { caches?: { default?: Cache } }).caches;
  return storage?.default;
}

export interface CachedLoadOptions {
  cache: ToolCache | undefined;
  /** A stable name for the provider request, e.g. its URL. */
  key: string;
  ttlSeconds: number;
  now: () => Date;
}

/**
 * The value for `key` from the cache while it is fresh, otherwise from `load` (then stored). A failed
 * load is never stored, and a cache that fails only costs the saving.
 */
export async function cachedLoad<T>(options: CachedLoadOptions, load: () => Promise<T>): Promise<Retrieved<T>> {
  const { cache, key, ttlSeconds, now } = options;
  const request = new Request(`${keyBase}${encodeURIComponent(key)}`);
  if (cache) {
    const hit = await cache.match(request).catch(() => undefined);
    if (hit) {
      const entry = (await hit.json().catch(() => undefined)) as Entry<T> | undefined;
      if (entry && Date.parse(entry.expiresAt) > now().getTime()) {
        return { value: entry.value, retrievedAt: entry.retrievedAt };
      }
    }
  }
  const value = await load();
  const retrievedAt = now().toISOString();
  if (cache) {
    const entry: Entry<T> = {
      value,
      retrievedAt,
      expiresAt: new Date(now().getTime() + ttlSeconds * 1000).toISOString(),
    };
    const response = new Response(JSON.stringify(entry), {
      headers: { "content-type": "application/json", "cache-control": `max-age=${ttlSeconds}` },
    });
    await cache.put(request, response).catch(() => undefined);
  }
  return { value, retrievedAt };
}
