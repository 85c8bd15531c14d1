import { describe, expect, it } from "vitest";
import { call } from "../support/http";

/** Every `src`/`href` of the page's script and link tags. */
function resourceUrls(html: string): string[] {
  const urls: string[] = [];
  for (const tag of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    for (const attribute of tag[0].matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)) urls.push(attribute[1] ?? "");
  }
  return urls;
}

describe("/docs", () => {
  it("loads the API reference from the app's own origin, with nothing from a third party", async () => {
    const response = await call("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();

    expect(resourceUrls(html)).toEqual(["/vendor/scalar-api-reference.js"]);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\//i);
    // No module script importing from a CDN either, and no absolute URL anywhere in the page.
    expect(html).not.toMatch(/\bimport\b[^;]*["']https?:/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain("jsdelivr");
  });

  it("points the reference at the OpenAPI document with hosted extras off", async () => {
    const html = await (await call("/docs")).text();
    const init = html.match(/Scalar\.createApiReference\('#app',\s*(\{[\s\S]*?\})\s*\)/);
    expect(init?.[1]).toBeDefined();
    const options = JSON.parse(init?.[1] ?? "{}") as Record<string, unknown>;
    expect(options).toMatchObject({
      url: "/openapi.json",
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never",
    });
    expect(options).not.toHaveProperty("proxyUrl");
    expect(options).not.toHaveProperty("cdn");
  });
});
