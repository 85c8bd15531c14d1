// The web app's streamed reply as a traveller sees it: in Debian's chromium (headless, driven by
// playwright-core), the time from pressing Send on a new chat to the first reply text painted in the
// article "Mylo", against the API's own time to first byte for the same request (POST /api/chat with the
// body the page sends, the same session cookie and Origin), measured in alternating rounds in the same run.
// Both times are taken where they happen: in the page with performance.now() (so the driver's own round
// trips are not counted) and in this process around fetch. Each reply is stopped once its first token is
// in (Stop in the page, POST /api/chat/:id/stop for the API) and the round waits until it is over: the
// rest of a reply of BENCH_STREAM_CHUNKS chunks says nothing about the first token and takes seconds on
// a busy machine. BENCH_WEB_ROUNDS sets the rounds of each.
import { randomUUID } from "node:crypto";
import { chromium } from "playwright-core";

const ROUNDS = Math.max(1, Number(process.env.BENCH_WEB_ROUNDS ?? 8));
const TARGET = 2;
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
/** The longest a single step (a page load, a reply) may take before the measurement gives up. */
const STEP_TIMEOUT_MS = 20_000;
const PROMPT = "Benchmark reply please";
/** How long the page must have had no request in flight before Send is pressed. */
const SETTLE_MS = 200;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/**
 * Runs in the page before Send is pressed. Records performance.now() when Send is clicked (or Enter is
 * pressed in the message box), in the capture phase before the app's own handlers; then a MutationObserver
 * waits for the first reply text in a new article "Mylo" of the region "Conversation" (its name heading
 * aside), and the paint is taken as the task right after the next animation frame, that is after the
 * frame that shows the text. Resolves window.__firstToken with { sentAt, shownAt (the article, still
 * empty, appeared), paintedAt, text }.
 */
function armFirstTokenProbe() {
  const region = () => document.querySelector('section[aria-label="Conversation"]');
  const replies = () => [...(region()?.querySelectorAll('article[aria-label="Mylo"]') ?? [])];
  const before = new Set(replies());
  const replyText = (article) =>
    [...article.childNodes]
      .filter((node) => !(node instanceof HTMLElement && /^H[1-6]$/.test(node.tagName)))
      .map((node) => node.textContent ?? "")
      .join("")
      .trim();
  let sentAt;
  let shownAt;
  let seen = false;
  const onSend = (event) => {
    if (sentAt !== undefined) return;
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    const isSend = event.type === "click" && button?.textContent?.trim() === "Send";
    const isEnter =
      event.type === "keydown" &&
      event.key === "Enter" &&
      !event.shiftKey &&
      event.target instanceof HTMLTextAreaElement &&
      event.target.id === "composer";
    if (!isSend && !isEnter) return;
    sentAt = performance.now();
    window.__firstTokenSentAt = sentAt;
  };
  window.addEventListener("click", onSend, { capture: true });
  window.addEventListener("keydown", onSend, { capture: true });
  window.__firstToken = new Promise((resolve) => {
    const check = () => {
      if (sentAt === undefined || seen) return;
      const fresh = replies().filter((article) => !before.has(article));
      if (fresh.length > 0) shownAt ??= performance.now();
      const reply = fresh.find((article) => replyText(article));
      if (!reply) return;
      seen = true;
      observer.disconnect();
      window.removeEventListener("click", onSend, { capture: true });
      window.removeEventListener("keydown", onSend, { capture: true });
      const text = replyText(reply);
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve({ sentAt, shownAt, paintedAt: performance.now(), text: text.slice(0, 40) });
        };
        channel.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

function withTimeout(promise, what, ms = STEP_TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms / 1000}s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** What the page shows, for an error message: its address and the start of its visible text. */
async function describePage(page) {
  const text = await page
    .locator("body")
    .textContent({ timeout: 2000 })
    .catch(() => "(no text)");
  return `at ${page.url()}, the page reads: ${JSON.stringify((text ?? "").replace(/\s+/g, " ").slice(0, 300))}`;
}

async function signUpInPage(page, url) {
  const unique = randomUUID();
  await page.goto(`${url}/sign-up`);
  await page.getByRole("textbox", { name: "Name" }).fill("Bench Traveller");
  await page.getByRole("textbox", { name: "Email" }).fill(`bench-web-${unique}@example.test`);
  await page.getByLabel("Password", { exact: true }).fill(`Bench-${unique}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page
    .waitForURL((address) => address.pathname === "/", { timeout: STEP_TIMEOUT_MS })
    .catch(async () => {
      throw new Error(`sign-up did not land on "/" ${await describePage(page)}`);
    });
}

/**
 * Counts the page's requests in flight, so a round can wait until the page has settled: a traveller types
 * for a while before pressing Send, so the page's own start-up requests are over by then.
 */
function trackRequests(page) {
  const state = { inFlight: 0, changedAt: performance.now() };
  const change = (delta) => () => {
    state.inFlight += delta;
    state.changedAt = performance.now();
  };
  page.on("request", change(1));
  page.on("requestfinished", change(-1));
  page.on("requestfailed", change(-1));
  return async function settled(quietMs = SETTLE_MS) {
    const deadline = performance.now() + STEP_TIMEOUT_MS;
    while (state.inFlight > 0 || performance.now() - state.changedAt < quietMs) {
      if (performance.now() > deadline) {
        throw new Error(`the page kept ${state.inFlight} request(s) open for ${STEP_TIMEOUT_MS / 1000}s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
}

/** One browser round: a new chat, one message, the time from Send to the first reply text painted. */
async function browserRound(page, url, settled) {
  await page.goto(`${url}/`);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(async () => {
    throw new Error(`no textbox "Message" on "/" ${await describePage(page)}`);
  });
  await box.fill(PROMPT);
  await settled();
  const send = page.getByRole("button", { name: "Send", exact: true });
  await page.evaluate(armFirstTokenProbe);
  await send.click();
  const result = await withTimeout(
    page.evaluate(() => window.__firstToken),
    "no reply text in the article Mylo",
  ).catch(async (error) => {
    throw new Error(`${error.message} ${await describePage(page)}`);
  });
  // Stop shows while the reply streams (it may be over already); the reply is over once Send is back,
  // and the round once the page's requests (the stop, the refreshed chat list) are done.
  const stop = page.getByRole("button", { name: "Stop", exact: true });
  if (await stop.isVisible()) await stop.click({ timeout: 2000 }).catch(() => {});
  await send.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(async () => {
    throw new Error(`the button Send did not come back after the reply ${await describePage(page)}`);
  });
  await settled();
  const alert = page.getByRole("alert");
  if ((await alert.count()) > 0) {
    throw new Error(`the page shows an error after the reply: ${JSON.stringify(await alert.first().textContent())}`);
  }
  // Where the time went, from the page's Resource Timing of its POST /api/chat (listed once it ended).
  const phases = await page.evaluate(() => {
    const sentAt = window.__firstTokenSentAt;
    const entry = performance
      .getEntriesByType("resource")
      .filter((item) => new URL(item.name).pathname === "/api/chat" && item.startTime >= sentAt)
      .at(-1);
    return entry ? { request: entry.startTime - sentAt, firstByte: entry.responseStart - sentAt } : undefined;
  });
  if (phases && result.shownAt !== undefined) phases.shown = result.shownAt - result.sentAt;
  return { ms: result.paintedAt - result.sentAt, text: result.text, phases };
}

/**
 * Node's fetch sometimes reuses a keep-alive socket the local server is closing, and the read fails
 * with "terminated": such a round is run again (and counted), since it says nothing about the app.
 */
let retries = 0;
async function withRetry(run) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 3 || !/terminated|other side closed|ECONNRESET/i.test(String(error?.message))) throw error;
      retries++;
    }
  }
}

/**
 * One API round: the page's request for a new chat, timed from sending to the first body bytes (and, to
 * show where the page's time goes, to the first text delta of the stream); then the reply is stopped as
 * the page's Stop does, and read to its end.
 */
async function apiRound(url, headers, template) {
  const chatId = randomUUID();
  const body = JSON.stringify({
    ...template,
    id: chatId,
    messages: [{ ...template.messages[0], id: randomUUID() }],
  });
  const started = performance.now();
  const response = await fetch(`${url}/api/chat`, { method: "POST", headers, body });
  if (!response.ok || !response.body) {
    throw new Error(`POST /api/chat answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  const reader = response.body.getReader();
  const first = await reader.read();
  const firstByte = performance.now() - started;
  if (first.done) throw new Error("POST /api/chat answered an empty body");
  const decoder = new TextDecoder();
  let text = decoder.decode(first.value, { stream: true });
  while (!text.includes('"type":"text-delta"')) {
    const next = await reader.read();
    if (next.done) throw new Error(`POST /api/chat ended before any text: ${JSON.stringify(text.slice(0, 300))}`);
    text += decoder.decode(next.value, { stream: true });
  }
  const firstText = performance.now() - started;
  const stop = await fetch(`${url}/api/chat/${chatId}/stop`, { method: "POST", headers });
  if (!stop.ok) throw new Error(`POST /api/chat/:id/stop answered ${stop.status}: ${await stop.text()}`);
  await withTimeout(
    (async () => {
      for (;;) if ((await reader.read()).done) break;
    })(),
    "the stopped reply did not end",
  );
  return { firstByte, firstText };
}

async function measure(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const settled = trackRequests(page);
    // The body the page sends, taken from its own request, so the API rounds send the same shape.
    let template;
    page.on("request", (request) => {
      if (template || request.method() !== "POST" || new URL(request.url()).pathname !== "/api/chat") return;
      template = request.postDataJSON();
    });

    await signUpInPage(page, url);
    // Warm both paths (the page's lazy chunks, the Worker, the first Durable Object); not counted.
    try {
      await browserRound(page, url, settled);
    } catch (error) {
      throw new Error(`${error.message}${pageErrors.length ? `; page errors: ${pageErrors.join(" | ")}` : ""}`);
    }
    if (!template?.messages?.length) throw new Error("the page's POST /api/chat was not seen (or had no message)");
    const cookie = (await context.cookies(url)).map(({ name, value }) => `${name}=${value}`).join("; ");
    const headers = { "content-type": "application/json", cookie, origin: url };
    await withRetry(() => apiRound(url, headers, template));

    const browserTimes = [];
    const requestTimes = [];
    const firstByteTimes = [];
    const shownTimes = [];
    const apiTimes = [];
    const apiTextTimes = [];
    let firstText = "";
    for (let round = 0; round < ROUNDS; round++) {
      const result = await browserRound(page, url, settled);
      browserTimes.push(result.ms);
      if (result.phases) {
        requestTimes.push(result.phases.request);
        firstByteTimes.push(result.phases.firstByte);
        if (result.phases.shown !== undefined) shownTimes.push(result.phases.shown);
      }
      firstText = result.text;
      const api = await withRetry(() => apiRound(url, headers, template));
      apiTimes.push(api.firstByte);
      apiTextTimes.push(api.firstText);
    }
    await context.close();
    return {
      browserTimes,
      requestTimes,
      firstByteTimes,
      shownTimes,
      apiTimes,
      apiTextTimes,
      firstText,
      bodyKeys: Object.keys(template),
      pageErrors,
    };
  } finally {
    await browser.close();
  }
}

export const webFirstTokenMeasurement = {
  name: "Web app: Send → first token painted",
  async measure({ url }) {
    const title = `Web app: Send → first token painted (headless chromium), median of ${ROUNDS} rounds each, alternating with the API:`;
    const started = performance.now();
    let result;
    try {
      result = await measure(url);
    } catch (error) {
      return { lines: [title, `  FAIL (${error.message})`], failed: true };
    }
    const {
      browserTimes,
      requestTimes,
      firstByteTimes,
      shownTimes,
      apiTimes,
      apiTextTimes,
      firstText,
      bodyKeys,
      pageErrors,
    } = result;
    const ms = (value) => `${value.toFixed(1)} ms`;
    const range = (values) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;
    const browserMedian = median(browserTimes);
    const apiMedian = median(apiTimes);
    const ratio = browserMedian / apiMedian;
    const ok = ratio <= TARGET;
    const lines = [
      title,
      `  browser, Send → first text painted   ${ms(browserMedian)}  (rounds ${range(browserTimes)}; first text ${JSON.stringify(firstText)})`,
      ...(requestTimes.length
        ? [
            `    in the page after Send (medians): request sent ${ms(median(requestTimes))}, response headers ${ms(median(firstByteTimes))}${shownTimes.length ? `, empty reply article in the DOM ${ms(median(shownTimes))}` : ""}`,
          ]
        : []),
      `  API, POST /api/chat first byte       ${ms(apiMedian)}  (rounds ${range(apiTimes)}; body ${bodyKeys.join(", ")}; retried ${retries})`,
      `    first text delta in the stream ${ms(median(apiTextTimes))} (median)`,
      `  browser vs API time to first byte    ${ratio.toFixed(2)}x  ${ok ? "PASS" : "FAIL"} (target ≤ ${TARGET}x; took ${((performance.now() - started) / 1000).toFixed(0)} s)`,
    ];
    if (pageErrors.length) lines.push(`  page errors: ${pageErrors.join(" | ")}`);
    return { lines, failed: !ok };
  },
};
