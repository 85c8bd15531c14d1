import { describe, expect, it } from "vitest";
import { OutboundRequestError } from "../../src/outbound/errors";
import { createHttpClient } from "../../src/outbound/safe-fetch";
import { appHostsOf, assertPublicUrl, publicUrlProblem } from "../../src/outbound/url-policy";
import { clientOver, fakeFetch, json } from "./fake-fetch";

async function expectRefused(promise: Promise<unknown>, code: OutboundRequestError["code"]) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundRequestError);
  expect((error as OutboundRequestError).code).toBe(code);
  return error as OutboundRequestError;
}

const ssrfCases = [
  "http://127.0.0.1",
  "http://localhost",
  "http://0x7f000001",
  "http://2130706433",
  "http://017700000001",
  "http://127.1",
  "http://[::1]",
  "http://[::ffff:127.0.0.1]",
  "http://[::ffff:7f00:1]",
  "http://10.0.0.1",
  "http://172.16.0.1",
  "http://192.168.1.1",
  "http://169.254.169.254/latest/meta-data",
  "http://100.64.0.1",
  "http://0.0.0.0",
  "http://[fd00::1]",
  "http://[fe80::1]",
  "ftp://example.com",
  "http://user:pass@example.com",
  "http://0x7f.1",
  "http://0177.0.0.01",
  "http://%31%32%37.0.0.1/",
  "http://127.0.0.1.:8080/admin",
  "http://api.localhost/",
  "http://printer.local/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://metadata/",
  "http://127.0.0.1.nip.io/",
  "http://[::]/",
  "http://[64:ff9b::a00:1]/",
  "file:///etc/passwd",
  "javascript:alert(1)",
  "not a url",
];

describe("untrusted URLs are refused before any request leaves", () => {
  it.each(ssrfCases)("%s", async (url) => {
    const { http, fn } = clientOver(() => new Response("should not be reached"));
    await expectRefused(http.fetch(url, { trust: "untrusted" }), "URL_REFUSED");
    expect(fn).not.toHaveBeenCalled();
    expect(publicUrlProblem(url)).toBeDefined();
  });

  it("lets public URLs through and sends a User-Agent", async () => {
    const { http, calls } = clientOver(() => new Response("hello", { headers: { "content-type": "text/plain" } }));
    const response = await http.fetch("https://example.com/page", { trust: "untrusted" });
    expect(await response.text()).toBe("hello");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.get("user-agent")).toMatch(/Mylo/);
    expect(assertPublicUrl("https://93.184.216.34/").hostname).toBe("93.184.216.34");
    expect(publicUrlProblem("https://[2606:4700:4700::1111]/")).toBeUndefined();
  });

  it("fetches trusted (configured) endpoints as configured, even on private addresses", async () => {
    const { http, calls } = clientOver(() => json({ ok: true }));
    await expect(http.json("http://10.0.0.5:8080/search?q=x", { trust: "trusted" })).resolves.toEqual({ ok: true });
    expect(calls[0]?.url.host).toBe("10.0.0.5:8080");
  });
});

describe("ports and the app's own host", () => {
  it.each([
    "https://example.com:8443/",
    "http://example.com:8080/",
    "https://example.com:22/",
    "http://93.184.216.34:6379/",
  ])("refuses %s from a user or the model: only ports 80 and 443", async (url) => {
    const { http, fn } = clientOver(() => new Response("should not be reached"));
    const error = await expectRefused(http.fetch(url, { trust: "untrusted" }), "URL_REFUSED");
    expect(error.message).toMatch(/port/);
    expect(fn).not.toHaveBeenCalled();
    expect(publicUrlProblem(url)).toBeDefined();
  });

  it("lets the standard ports through, written or not, and trusted endpoints keep any port", async () => {
    const { http, calls } = clientOver(() => new Response("ok"));
    for (const url of ["https://example.com:443/a", "http://example.com:80/b", "http://example.com:443/c"]) {
      expect(await (await http.fetch(url, { trust: "untrusted" })).text()).toBe("ok");
    }
    await http.fetch("https://search.example.com:8443/q", { trust: "trusted" });
    expect(calls.map((call) => call.url.host)).toEqual([
      "example.com",
      "example.com",
      "example.com:443",
      "search.example.com:8443",
    ]);
  });

  it("refuses the app's own host (BETTER_AUTH_URL's) in any spelling, also after a redirect", async () => {
    const ownHosts = appHostsOf({ BETTER_AUTH_URL: "https://Mylo.Example.com/" });
    expect(ownHosts).toEqual(["mylo.example.com"]);
    for (const url of [
      "https://mylo.example.com/api/me",
      "https://MYLO.example.com./api/me",
      "http://mylo.example.com:80/",
    ]) {
      expect(publicUrlProblem(url, { ownHosts })).toBeDefined();
      expect(publicUrlProblem(url)).toBeUndefined();
    }
    expect(publicUrlProblem("https://cdn.mylo.example.com/a.png", { ownHosts })).toBeUndefined();

    const fake = fakeFetch((call) =>
      call.url.hostname === "example.com"
        ? new Response(null, { status: 302, headers: { location: "https://mylo.example.com/api/me/export" } })
        : new Response("account data"),
    );
    const http = createHttpClient({ fetch: fake.fetch, ownHosts });
    await expectRefused(http.fetch("https://mylo.example.com/api/me", { trust: "untrusted" }), "URL_REFUSED");
    await expectRefused(http.fetch("https://example.com/go", { trust: "untrusted" }), "URL_REFUSED");
    expect(fake.calls.map((call) => call.url.hostname)).toEqual(["example.com"]);
    await http.fetch("https://mylo.example.com/api/internal", { trust: "trusted" });
    expect(fake.calls).toHaveLength(2);
  });
});

describe("redirects", () => {
  it("refuses a public URL that redirects to a private address, at the redirect", async () => {
    const { http, calls } = clientOver((call) =>
      call.url.hostname === "example.com"
        ? new Response(null, { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data" } })
        : new Response("secret"),
    );
    await expectRefused(http.fetch("https://example.com/start", { trust: "untrusted" }), "URL_REFUSED");
    expect(calls.map((call) => call.url.hostname)).toEqual(["example.com"]);
  });

  it("re-validates every hop, including encoded forms and relative locations", async () => {
    const { http, calls } = clientOver((call) => {
      if (call.url.pathname === "/a") return new Response(null, { status: 301, headers: { location: "/b" } });
      return new Response(null, { status: 307, headers: { location: "http://0x7f000001/" } });
    });
    await expectRefused(http.fetch("https://example.com/a", { trust: "untrusted" }), "URL_REFUSED");
    expect(calls.map((call) => call.url.pathname)).toEqual(["/a", "/b"]);
  });

  it("follows up to 5 redirects and refuses a longer chain", async () => {
    const chain = (length: number) =>
      clientOver((call) => {
        const hop = Number(call.url.searchParams.get("hop") ?? "0");
        if (hop < length) {
          return new Response(null, { status: 302, headers: { location: `https://example.com/?hop=${hop + 1}` } });
        }
        return new Response("done");
      });
    const ok = chain(5);
    const response = await ok.http.fetch("https://example.com/?hop=0", { trust: "untrusted" });
    expect(await response.text()).toBe("done");
    expect(response.url).toBe("https://example.com/?hop=5");
    expect(ok.calls).toHaveLength(6);

    const tooLong = chain(6);
    await expectRefused(tooLong.http.fetch("https://example.com/?hop=0", { trust: "untrusted" }), "TOO_MANY_REDIRECTS");
    expect(tooLong.calls).toHaveLength(6);
  });

  it("always asks the transport for manual redirects and drops credentials on a cross-origin hop", async () => {
    const seen: RequestInit[] = [];
    const { http, calls } = clientOver((call, init) => {
      seen.push(init);
      return call.url.hostname === "api.example.com"
        ? new Response(null, { status: 302, headers: { location: "https://cdn.example.net/file" } })
        : new Response("ok");
    });
    await http.fetch("https://api.example.com/x", {
      trust: "trusted",
      headers: { authorization: "Bearer secret", "x-api-key": "k", accept: "text/plain" },
    });
    expect(seen.every((init) => init.redirect === "manual")).toBe(true);
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer secret");
    expect(calls[1]?.headers.get("authorization")).toBeNull();
    expect(calls[1]?.headers.get("x-api-key")).toBeNull();
    expect(calls[1]?.headers.get("accept")).toBe("text/plain");
  });

  it("turns a POST into a GET on 303", async () => {
    const { http, calls } = clientOver((call) =>
      call.url.pathname === "/form"
        ? new Response(null, { status: 303, headers: { location: "/done" } })
        : new Response("ok"),
    );
    await http.fetch("https://example.com/form", { trust: "untrusted", method: "POST", body: "a=1" });
    expect(calls.map((call) => call.method)).toEqual(["POST", "GET"]);
    expect(calls[1]?.body).toBeUndefined();
  });
});

describe("size cap and timeout", () => {
  it("aborts a body that grows past the cap while streaming", async () => {
    let pulled = 0;
    const { http } = clientOver(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled++;
              controller.enqueue(new Uint8Array(1024));
              if (pulled > 1000) controller.close();
            },
          }),
        ),
      { maxBytes: 4096 },
    );
    const response = await http.fetch("https://example.com/big", { trust: "untrusted" });
    await expectRefused(response.text(), "TOO_LARGE");
    expect(pulled).toBeLessThan(10);
  });

  it("refuses early when Content-Length already exceeds the cap", async () => {
    const { http } = clientOver(() => new Response("x".repeat(100), { headers: { "content-length": "100" } }));
    await expectRefused(http.fetch("https://example.com/", { trust: "untrusted", maxBytes: 10 }), "TOO_LARGE");
  });

  it("enforces the timeout even when the transport ignores the abort signal", async () => {
    const { http } = clientOver(() => new Promise<Response>(() => undefined));
    const started = Date.now();
    const error = await expectRefused(
      http.fetch("https://example.com/slow", { trust: "untrusted", timeoutMs: 50 }),
      "TIMEOUT",
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(/did not answer/);
  });

  it("times out a body that stalls after the headers", async () => {
    const { http } = clientOver(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode("partial"));
            },
          }),
        ),
    );
    const response = await http.fetch("https://example.com/stall", { trust: "untrusted", timeoutMs: 50 });
    await expectRefused(response.text(), "TIMEOUT");
  });

  it("reports a network failure and a non-2xx JSON answer as typed errors", async () => {
    const failing = createHttpClient({
      fetch: fakeFetch(() => {
        throw new TypeError("connection refused");
      }).fetch,
    });
    await expectRefused(failing.fetch("https://example.com/", { trust: "untrusted" }), "NETWORK");
    const { http } = clientOver(() => new Response("boom", { status: 500 }));
    const error = await expectRefused(http.json("https://api.example.com/v1", { trust: "trusted" }), "HTTP_STATUS");
    expect(error.status).toBe(500);
    expect(error.message).not.toContain("boom");
  });
});

describe("refusal messages", () => {
  it("never echo credentials from the URL", async () => {
    const { http } = clientOver(() => new Response("x"));
    const error = await expectRefused(
      http.fetch("https://alice:hunter2@example.com/", { trust: "untrusted" }),
      "URL_REFUSED",
    );
    expect(error.message).not.toContain("hunter2");
    expect(error.message).toMatch(/credentials/);
  });
});
