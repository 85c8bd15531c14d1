import type { Tool, ToolSet } from "ai";
import { describe, expect, it } from "vitest";
import { buildTools } from "../../src/ai/tools";
import { htmlToText } from "../../src/ai/tools/html-to-text";
import { localTimeIn } from "../../src/ai/tools/local-time.tool";
import { readPageLimits } from "../../src/ai/tools/read-page.tool";
import type { ToolConfig } from "../../src/ai/tools/types";
import { ConfigError, loadConfig } from "../../src/env";
import { clientOver, type FakeCall, json, shortTimeouts } from "./fake-fetch";

type Handler = Parameters<typeof clientOver>[0];

// biome-ignore lint/suspicious/noExplicitAny: tools are exercised with plain JSON inputs, as the SDK would after validation
async function run(tools: ToolSet, name: string, input: any): Promise<any> {
  const tool = tools[name] as Tool | undefined;
  if (!tool?.execute) throw new Error(`tool ${name} is not on`);
  return tool.execute(input, { toolCallId: "call-1", messages: [], context: undefined });
}

function toolsWith(handler: Handler, config: ToolConfig = {}, options: { timeoutMs?: number } = {}) {
  const fake = clientOver(handler, options);
  const tools = buildTools({
    config,
    mode: "extreme",
    fetch: fake.http,
    now: () => new Date("2026-04-03T05:30:00Z"),
    cache: null,
    timeoutsMs: shortTimeouts(options.timeoutMs),
  });
  return { tools, calls: fake.calls };
}

const kyoto = {
  results: [
    {
      name: "Kyoto",
      country: "Japan",
      country_code: "JP",
      admin1: "Kyoto",
      latitude: 35.02107,
      longitude: 135.75385,
      timezone: "Asia/Tokyo",
      population: 1459640,
    },
  ],
};

const forecast = {
  timezone: "Asia/Tokyo",
  current: {
    time: "2026-04-03T14:30",
    temperature_2m: 17.4,
    apparent_temperature: 16.1,
    relative_humidity_2m: 55,
    precipitation: 0,
    weather_code: 2,
    wind_speed_10m: 9.7,
  },
  daily: {
    time: ["2026-04-03", "2026-04-04"],
    weather_code: [2, 61],
    temperature_2m_max: [19.2, 15.0],
    temperature_2m_min: [8.1, 9.3],
    precipitation_sum: [0, 6.2],
    precipitation_probability_max: [5, 80],
  },
};

const openMeteo: Handler = (call: FakeCall) => {
  if (call.url.hostname === "geocoding-api.open-meteo.com") {
    return json(call.url.searchParams.get("name") === "Atlantis" ? {} : kyoto);
  }
  if (call.url.hostname === "api.open-meteo.com") return json(forecast);
  return new Response("unexpected", { status: 599 });
};

const failingWith = (status: number) => () => new Response("internal details", { status });
const hanging = () => new Promise<Response>(() => undefined);

describe("weather", () => {
  it("geocodes the place then reads the forecast", async () => {
    const { tools, calls } = toolsWith(openMeteo);
    const result = await run(tools, "weather", { location: "Kyoto", days: 2 });
    expect(result).toMatchObject({
      location: { name: "Kyoto", country: "Japan", timeZone: "Asia/Tokyo", latitude: 35.02107 },
      current: { temperatureC: 17.4, conditions: "partly cloudy", windKmh: 9.7 },
      forecast: [
        { date: "2026-04-03", conditions: "partly cloudy", maxC: 19.2, minC: 8.1 },
        { date: "2026-04-04", conditions: "light rain", precipitationChancePercent: 80 },
      ],
      source: { provider: "Open-Meteo", url: "https://open-meteo.com/" },
      retrievedAt: "2026-04-03T05:30:00.000Z",
    });
    expect(calls.map((call) => call.url.hostname)).toEqual(["geocoding-api.open-meteo.com", "api.open-meteo.com"]);
    expect(calls.some((call) => call.url.searchParams.has("apikey"))).toBe(false);
    expect(calls[1]?.url.searchParams.get("forecast_days")).toBe("2");
    expect(calls[1]?.url.searchParams.get("latitude")).toBe("35.02107");
  });

  it("explains an unknown place", async () => {
    const { tools } = toolsWith(openMeteo);
    expect(await run(tools, "weather", { location: "Atlantis", days: 1 })).toEqual({
      error: 'No place called "Atlantis" was found.',
    });
  });

  it("turns a provider 500 and a timeout into tool errors", async () => {
    const broken = await run(toolsWith(failingWith(500)).tools, "weather", { location: "Kyoto", days: 1 });
    expect(broken).toMatchObject({ error: expect.any(String) });
    expect(broken.error).toMatch(/status 500/);
    expect(broken.error).not.toContain("internal details");
    const slow = await run(toolsWith(hanging, {}, { timeoutMs: 30 }).tools, "weather", { location: "Kyoto", days: 1 });
    expect(slow.error).toMatch(/did not answer/);
  });

  it("uses configured Open-Meteo endpoints, trusted like other provider endpoints (a loopback fake)", async () => {
    const config = loadConfig({
      APP_ENV: "test",
      OPEN_METEO_GEOCODING_URL: "http://127.0.0.1:4010/geo/search?source=fake",
      OPEN_METEO_FORECAST_URL: " http://127.0.0.1:4010/forecast ",
    });
    expect(() => loadConfig({ APP_ENV: "test", OPEN_METEO_FORECAST_URL: "127.0.0.1:4010" })).toThrow(ConfigError);
    expect(() => loadConfig({ APP_ENV: "test", OPEN_METEO_GEOCODING_URL: "file:///etc/hosts" })).toThrow(ConfigError);
    const { tools, calls } = toolsWith((call) => {
      if (call.url.pathname === "/geo/search") return json(kyoto);
      if (call.url.pathname === "/forecast") return json(forecast);
      return new Response("unexpected", { status: 599 });
    }, config);
    const result = await run(tools, "weather", { location: "Kyoto", days: 2 });
    expect(result).toMatchObject({ location: { name: "Kyoto" }, current: { temperatureC: 17.4 } });
    expect(calls.map((call) => `${call.url.origin}${call.url.pathname}`)).toEqual([
      "http://127.0.0.1:4010/geo/search",
      "http://127.0.0.1:4010/forecast",
    ]);
    expect(calls[0]?.url.searchParams.get("source")).toBe("fake");
    expect(calls[0]?.url.searchParams.get("name")).toBe("Kyoto");
    expect(calls[1]?.url.searchParams.get("latitude")).toBe("35.02107");
    expect(calls.some((call) => call.url.hostname.endsWith("open-meteo.com"))).toBe(false);

    const places = toolsWith((call) => json(call.url.pathname === "/geo/search" ? kyoto : {}), config);
    expect(await run(places.tools, "places", { query: "Kyoto" })).toMatchObject({ places: [{ name: "Kyoto" }] });
    expect(places.calls.map((call) => `${call.url.origin}${call.url.pathname}`)).toEqual([
      "http://127.0.0.1:4010/geo/search",
    ]);
  });
});

describe("currency", () => {
  const frankfurter: Handler = (call) =>
    json([
      { date: "2026-04-02", base: call.url.searchParams.get("base"), quote: "EUR", rate: 0.9 },
      { date: "2026-04-02", base: call.url.searchParams.get("base"), quote: "JPY", rate: 150.5 },
    ]);

  it("converts with central bank reference rates", async () => {
    const { tools, calls } = toolsWith(frankfurter);
    const result = await run(tools, "currency", { amount: 200, from: "USD", to: ["EUR", "JPY", "USD"] });
    expect(result).toEqual({
      amount: 200,
      from: "USD",
      date: "2026-04-02",
      conversions: [
        { currency: "EUR", rate: 0.9, amount: 180 },
        { currency: "JPY", rate: 150.5, amount: 30100 },
        { currency: "USD", rate: 1, amount: 200 },
      ],
      source: { provider: "Frankfurter (central bank reference rates)", url: "https://frankfurter.dev/" },
      retrievedAt: "2026-04-03T05:30:00.000Z",
    });
    expect(calls[0]?.url.origin).toBe("https://api.frankfurter.dev");
    expect(calls[0]?.url.pathname).toBe("/v2/rates");
    expect(calls[0]?.url.searchParams.get("base")).toBe("USD");
    expect(calls[0]?.url.searchParams.get("quotes")).toBe("EUR,JPY");
  });

  it("needs no request for a same-currency conversion, and reports unknown currencies", async () => {
    const same = toolsWith(frankfurter);
    expect((await run(same.tools, "currency", { amount: 5, from: "EUR", to: ["EUR"] })).conversions).toEqual([
      { currency: "EUR", rate: 1, amount: 5 },
    ]);
    expect(same.calls).toHaveLength(0);
    const missing = await run(toolsWith(() => json([])).tools, "currency", {
      amount: 1,
      from: "EUR",
      to: ["XXX"],
    });
    expect(missing).toEqual({ error: "No reference rate is published for XXX." });
  });

  it("turns a provider 500 and a timeout into tool errors", async () => {
    const input = { amount: 1, from: "USD", to: ["EUR"] };
    expect((await run(toolsWith(failingWith(503)).tools, "currency", input)).error).toMatch(/status 503/);
    expect((await run(toolsWith(hanging, {}, { timeoutMs: 30 }).tools, "currency", input)).error).toMatch(
      /did not answer/,
    );
  });
});

describe("places", () => {
  it("lists matching places with their time zones", async () => {
    const { tools, calls } = toolsWith(openMeteo);
    const result = await run(tools, "places", { query: "Kyoto", limit: 3 });
    expect(result.places).toEqual([
      {
        name: "Kyoto",
        country: "Japan",
        countryCode: "JP",
        region: "Kyoto",
        latitude: 35.02107,
        longitude: 135.75385,
        timeZone: "Asia/Tokyo",
        population: 1459640,
      },
    ]);
    expect(calls[0]?.url.searchParams.get("count")).toBe("3");
  });

  it("turns a provider 500 and a timeout into tool errors", async () => {
    expect(await run(toolsWith(failingWith(500)).tools, "places", { query: "Kyoto", limit: 1 })).toMatchObject({
      error: expect.any(String),
    });
    expect(
      await run(toolsWith(hanging, {}, { timeoutMs: 30 }).tools, "places", { query: "Kyoto", limit: 1 }),
    ).toMatchObject({ error: expect.any(String) });
  });
});

describe("local time", () => {
  it("answers from Intl with no request", async () => {
    const { tools, calls } = toolsWith(openMeteo);
    expect(await run(tools, "localTime", { timeZone: "Asia/Tokyo" })).toEqual({
      timeZone: "Asia/Tokyo",
      date: "2026-04-03",
      time: "14:30",
      weekday: "Friday",
      utcOffset: "+09:00",
      iso: "2026-04-03T14:30:00+09:00",
    });
    expect(calls).toHaveLength(0);
  });

  it("handles daylight saving and UTC, and refuses unknown zones", async () => {
    expect(localTimeIn("Europe/Berlin", new Date("2026-07-01T12:00:00Z")).utcOffset).toBe("+02:00");
    expect(localTimeIn("Europe/Berlin", new Date("2026-01-01T12:00:00Z")).utcOffset).toBe("+01:00");
    expect(localTimeIn("UTC", new Date("2026-01-01T12:00:00Z")).utcOffset).toBe("+00:00");
    const { tools } = toolsWith(openMeteo);
    expect(await run(tools, "localTime", { timeZone: "Mars/Olympus" })).toEqual({
      error: '"Mars/Olympus" is not a known IANA time zone.',
    });
  });
});

describe("web search", () => {
  const cases: Array<{ config: ToolConfig; provider: string; host: string; answer: unknown }> = [
    {
      config: { TAVILY_API_KEY: "tvly-key", SEARXNG_URL: "http://searx.internal:8080" },
      provider: "tavily",
      host: "api.tavily.com",
      answer: { results: [{ title: "Kyoto in April", url: "https://example.com/kyoto", content: "Cherry blossoms." }] },
    },
    {
      config: { EXA_API_KEY: "exa-key" },
      provider: "exa",
      host: "api.exa.ai",
      answer: { results: [{ title: "Kyoto in April", url: "https://example.com/kyoto", text: "Cherry blossoms." }] },
    },
    {
      config: { BRAVE_SEARCH_API_KEY: "brave-key" },
      provider: "brave",
      host: "api.search.brave.com",
      answer: {
        web: {
          results: [{ title: "Kyoto in April", url: "https://example.com/kyoto", description: "Cherry blossoms." }],
        },
      },
    },
    {
      config: { SEARXNG_URL: "http://searx.internal:8080/" },
      provider: "searxng",
      host: "searx.internal",
      answer: { results: [{ title: "Kyoto in April", url: "https://example.com/kyoto", content: "Cherry blossoms." }] },
    },
  ];

  it.each(cases)("uses $provider when configured", async ({ config, provider, host, answer }) => {
    const { tools, calls } = toolsWith(() => json(answer), config);
    const result = await run(tools, "webSearch", { query: "kyoto april", limit: 3 });
    expect(result).toEqual({
      query: "kyoto april",
      provider,
      results: [
        { title: "Kyoto in April", url: "https://example.com/kyoto", snippet: "Cherry blossoms.", publishedDate: null },
      ],
    });
    expect(calls[0]?.url.hostname).toBe(host);
    if (provider === "tavily") expect(calls[0]?.headers.get("authorization")).toBe("Bearer tvly-key");
    if (provider === "exa") expect(calls[0]?.headers.get("x-api-key")).toBe("exa-key");
    if (provider === "brave") expect(calls[0]?.headers.get("x-subscription-token")).toBe("brave-key");
    if (provider === "searxng") {
      expect(calls[0]?.url.pathname).toBe("/search");
      expect(calls[0]?.url.searchParams.get("format")).toBe("json");
    }
  });

  it("turns a provider 500 and a timeout into tool errors without leaking the key", async () => {
    const config = { TAVILY_API_KEY: "tvly-secret" };
    const broken = await run(toolsWith(failingWith(500), config).tools, "webSearch", { query: "x", limit: 1 });
    expect(broken.error).toMatch(/api.tavily.com answered with status 500/);
    expect(JSON.stringify(broken)).not.toContain("tvly-secret");
    const slow = await run(toolsWith(hanging, config, { timeoutMs: 30 }).tools, "webSearch", { query: "x", limit: 1 });
    expect(slow.error).toMatch(/did not answer/);
  });
});

describe("read page", () => {
  const page = `<!doctype html><html><head><title>Fushimi Inari &amp; more</title><style>p{}</style>
    <script>alert("x")</script></head><body><nav>Menu</nav><h1>Fushimi Inari</h1><p>Open 24&nbsp;hours.</p>
    <!-- hidden --><p>Entry is free &#8212; arrive early.</p></body></html>`;

  it("returns the readable text of a public page", async () => {
    const { tools } = toolsWith(() => new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } }));
    const result = await run(tools, "readPage", { url: "https://example.com/inari" });
    expect(result.title).toBe("Fushimi Inari & more");
    expect(result.text).toContain("Fushimi Inari\nOpen 24 hours.");
    expect(result.text).toContain("Entry is free — arrive early.");
    expect(result.text).not.toMatch(/alert|hidden|p\{\}/);
    expect(result.truncated).toBe(false);
    expect(result.url).toBe("https://example.com/inari");
  });

  it("caps long pages", async () => {
    const long = `<p>${"word ".repeat(5000)}</p>`;
    const { tools } = toolsWith(() => new Response(long, { headers: { "content-type": "text/html" } }));
    const result = await run(tools, "readPage", { url: "https://example.com/long" });
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(12_001);
  });

  it("refuses private targets, before and after a redirect, as tool errors", async () => {
    const { tools, calls } = toolsWith((call) =>
      call.url.hostname === "example.com"
        ? new Response(null, { status: 302, headers: { location: "http://[::ffff:7f00:1]/admin" } })
        : new Response("secret"),
    );
    const direct = await run(tools, "readPage", { url: "http://169.254.169.254/latest/meta-data" });
    expect(direct.error).toMatch(/Refused to fetch/);
    expect(calls).toHaveLength(0);
    const redirected = await run(tools, "readPage", { url: "https://example.com/go" });
    expect(redirected.error).toMatch(/Refused to fetch/);
    expect(calls).toHaveLength(1);
  });

  it("refuses the app's own host and ports other than 80 and 443, before any request", async () => {
    const tools = buildTools({ config: { BETTER_AUTH_URL: "https://mylo.example.com" }, mode: "extreme" });
    for (const url of ["https://mylo.example.com/api/me/export", "https://example.com:8443/admin"]) {
      expect((await run(tools, "readPage", { url })).error).toMatch(/Refused to fetch/);
    }
  });

  it("turns 500s, timeouts, oversized and binary answers into tool errors", async () => {
    const input = { url: "https://example.com/x" };
    expect((await run(toolsWith(failingWith(500)).tools, "readPage", input)).error).toMatch(/status 500/);
    expect((await run(toolsWith(hanging, {}, { timeoutMs: 30 }).tools, "readPage", input)).error).toMatch(
      /did not answer/,
    );
    const huge = () => new Response("x".repeat(10), { headers: { "content-length": String(5 * 1024 * 1024) } });
    expect((await run(toolsWith(huge).tools, "readPage", input)).error).toMatch(/larger than/);
    const binary = () => new Response(new Uint8Array([1, 2, 3]), { headers: { "content-type": "image/png" } });
    expect((await run(toolsWith(binary).tools, "readPage", input)).error).toBe("The page is image/png, not text.");
  });

  it("strips HTML without a DOM", () => {
    expect(htmlToText("<ul><li>a</li><li>b &lt;c&gt;</li></ul>").text).toBe("a\nb <c>");
  });

  it("reads ordinary markup as before: blocks, hidden elements, entities and whitespace", () => {
    const cases: Array<[string, { title: string | null; text: string }]> = [
      [
        `<html><body><div class="a"><span>Hello</span> <b>world</b></div><table><tr><td>1</td><td>2</td></tr></table>
  <p>Line one<br>Line two<br/>Line three</p><pre>  code   here </pre><img src="x.png" alt="pic"> tail &euro;5 &#x41;&#65; &bogus; &amp</body></html>`,
        { title: null, text: "Hello world\n1 2\nLine one\nLine two\nLine three\ncode here\ntail €5 AA &bogus; &amp" },
      ],
      [
        `<head><meta charset="utf-8"><title>  Spaced
   Title </title></head><body><header><h2>Head</h2></header><main><article><h1>Story</h1><p>Para &quot;one&quot;</p>
  <svg><text>svgtext</text></svg><iframe src="x">frame</iframe><noscript>enable js</noscript><template><p>tpl</p></template>
  <blockquote>Quote</blockquote><figure><figcaption>Cap</figcaption></figure></article></main><footer>© 2026</footer></body>`,
        { title: "Spaced Title", text: 'Head\nStory\nPara "one"\nQuote\nCap\n© 2026' },
      ],
      [
        `<p>a</p>\n\n\n<p>b</p>   \t <p>c &nbsp; d</p><SCRIPT type="x">var a = "</div>";</SCRIPT ><Style>x</STYLE>e<NAV>n</nav >f`,
        { title: null, text: "a\nb\nc d\ne f" },
      ],
      [`<div>Unclosed <script>code never closes <p>more`, { title: null, text: "Unclosed code never closes\nmore" }],
      [`<title>No end <p>body`, { title: null, text: "No end\nbody" }],
      [`<p>x</p><!doctype><?xml x?><p>y</p><!-- a --><!----><p>z</p>`, { title: null, text: "x\ny\nz" }],
      [
        `<dl><dt>Term</dt><dd>Def</dd></dl><form><label>Name</label><input></form><section>S</section><aside>A</aside>`,
        { title: null, text: "Term\nDef\nName\nS\nA" },
      ],
      [
        `<p>tab\there</p><p>nb\u00a0sp</p><h3>H3</h3><hr><ol><li>one</li></ol>`,
        { title: null, text: "tab here\nnb sp\nH3\none" },
      ],
      [
        `<custom-el>inside</custom-el><p-x>px</p-x><navbar>nb</navbar><p_x>under</p_x>`,
        { title: null, text: "inside\npx\nnb under" },
      ],
    ];
    for (const [html, expected] of cases) expect(htmlToText(html)).toMatchObject(expected);
  });

  it("reads malformed markup as a browser would: a bare < is text, an unclosed comment or tag ends the page", () => {
    expect(htmlToText("Text with 3 < 5 and 7 > 2 and <b>bold</b>.").text).toBe("Text with 3 < 5 and 7 > 2 and bold .");
    expect(htmlToText("<p>x<!-- unclosed comment <p>y").text).toBe("x");
    expect(htmlToText("<p>kept</p><a href='never closed").text).toBe("kept");
  });

  it("keeps at most the text it is asked for", () => {
    const page = `<p>${"word ".repeat(100_000)}</p>`;
    const { text, truncated } = htmlToText(page, { maxChars: 1000 });
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(truncated).toBe(true);
    expect(htmlToText("<p>short</p>", { maxChars: 1000 })).toMatchObject({ text: "short", truncated: false });
  });

  it("reads a hostile 1 MiB page about as fast as an ordinary 1 MiB page", async () => {
    const size = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const words = ["Kyoto", "temple", "&amp;", "garden", "&nbsp;", "ryokan", "<b>tea</b>", '<a href="/x">map</a>'];
    let ordinary =
      "<!doctype html><html><head><title>Guide</title><script>var x = 1;</script><style>p{}</style></head><body>";
    for (let n = 0; ordinary.length < size - 200; n++) {
      const line = words.map((_, i) => words[(i + n) % words.length]).join(" ");
      ordinary += `<div class="s"><h2>Part ${n}</h2><p>${line} &#8212; ${n}</p><!-- c --><ul><li>one</li></ul></div>\n`;
    }
    const hostile: Record<string, string> = {
      "all <": fill("<"),
      "<a<a<a": fill("<a"),
      "unclosed comments": fill("<!--"),
      "unclosed scripts": fill("<script>"),
      "unclosed titles": fill("<title"),
      "open tags without >": fill("<p "),
      "closing tags without >": fill("</"),
      "nested hidden blocks": fill("<nav><script>"),
      "comment openers and a close at the end": `${fill("<!--").slice(0, size - 3)}-->`,
      "an entity that never ends": `&${fill("a").slice(1)}`,
      "only tags": fill("<i>"),
      "only entities": fill("&amp;"),
      "a letter between tags": fill("a<i>"),
    };
    const { tools } = toolsWith(
      (call) =>
        new Response(
          call.url.pathname === "/ordinary" ? ordinary : (hostile[call.url.searchParams.get("case") ?? ""] ?? ""),
          {
            headers: { "content-type": "text/html" },
          },
        ),
    );
    const timeOf = async (path: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        const result = await run(tools, "readPage", { url: `https://example.com${path}` });
        best = Math.min(best, performance.now() - started);
        expect(result.error).toBeUndefined();
        expect(result.text.length).toBeLessThanOrEqual(readPageLimits.maxChars + 1);
      }
      return best;
    };
    const baseline = await timeOf("/ordinary");
    for (const name of Object.keys(hostile)) {
      const hostileTime = await timeOf(`/hostile?case=${encodeURIComponent(name)}`);
      expect(hostileTime / baseline, name).toBeLessThanOrEqual(5);
    }
  });
});

describe("weather on Open-Meteo's commercial API", () => {
  it("sends the key to the customer endpoints when OPEN_METEO_API_KEY is set", async () => {
    const config = loadConfig({ APP_ENV: "test", OPEN_METEO_API_KEY: "om-key" });
    const { tools, calls } = toolsWith((call) => {
      if (call.url.hostname === "customer-geocoding-api.open-meteo.com") return json(kyoto);
      if (call.url.hostname === "customer-api.open-meteo.com") return json(forecast);
      return new Response("unexpected", { status: 599 });
    }, config);
    const result = await run(tools, "weather", { location: "Kyoto", days: 2 });
    expect(result).toMatchObject({ location: { name: "Kyoto" }, current: { temperatureC: 17.4 } });
    expect(calls.map((call) => call.url.hostname)).toEqual([
      "customer-geocoding-api.open-meteo.com",
      "customer-api.open-meteo.com",
    ]);
    expect(calls.map((call) => call.url.searchParams.get("apikey"))).toEqual(["om-key", "om-key"]);
  });

  it("keeps configured endpoints (a local fake) over the customer ones", async () => {
    const config = loadConfig({
      APP_ENV: "test",
      OPEN_METEO_API_KEY: "om-key",
      OPEN_METEO_GEOCODING_URL: "http://127.0.0.1:4010/geo",
      OPEN_METEO_FORECAST_URL: "http://127.0.0.1:4010/forecast",
    });
    const { tools, calls } = toolsWith((call) => json(call.url.pathname === "/geo" ? kyoto : forecast), config);
    expect((await run(tools, "weather", { location: "Kyoto", days: 1 })).error).toBeUndefined();
    expect(calls.map((call) => `${call.url.origin}${call.url.pathname}`)).toEqual([
      "http://127.0.0.1:4010/geo",
      "http://127.0.0.1:4010/forecast",
    ]);
  });
});
