/**
 * Hono answers an unmatched method with 404. To answer 405 with an Allow header, match the path
 * against the registered routes' patterns.
 */
export function buildRouteIndex(routes: ReadonlyArray<{ method: string; path: string }>) {
  const entries = routes
    .filter((route) => route.method !== "ALL" && route.path !== "/*")
    .map((route) => ({ method: route.method, pattern: toRegExp(route.path) }));
  return (path: string): string[] => {
    const methods = new Set<string>();
    for (const entry of entries) {
      if (entry.pattern.test(path)) methods.add(entry.method);
    }
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}

function toRegExp(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}/?$`);
}
