import { randomBytes, randomUUID } from "node:crypto";
import {
  type APIRequestContext,
  type BrowserContext,
  type BrowserContextOptions,
  test as base,
  expect,
  type Locator,
  type Page,
} from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { polarSubscriptionActiveRaw } from "../billing/webhook-fixtures";
import { polarProProductId, polarWebhookSecret } from "./server-config.mjs";

export { expect };

/** The offline model's opening sentence: every reply contains it exactly once. */
export const offlineSentence = "Mylo is running offline";
/** How every reply of the slow offline model ends (its placeholder travel tips close with this). */
export const replyEnd = /connect a model for answers about your own plans\./;

const localHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A request leaves the machine when its host is not loopback (data:, blob: and about: are local). */
export function isForeign(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(parsed.protocol)) return false;
  return !localHosts.has(parsed.hostname);
}

/** What a test watches in every page of its contexts. */
export interface PageProblems {
  /** Requests (and WebSockets) to a host other than loopback. */
  foreign: string[];
  /** Uncaught exceptions in the page's scripts. */
  errors: string[];
}

/** Watches every page of a context, now and later, for third-party requests and uncaught errors. */
export function watchContext(context: BrowserContext, problems: PageProblems): void {
  context.on("request", (request) => {
    if (isForeign(request.url())) problems.foreign.push(`${request.method()} ${request.url()}`);
  });
  const watchPage = (page: Page) => {
    page.on("websocket", (socket) => {
      if (isForeign(socket.url())) problems.foreign.push(`WebSocket ${socket.url()}`);
    });
    page.on("pageerror", (error) => {
      problems.errors.push(`${page.url()}: ${error.stack ?? error.message}`);
    });
  };
  context.pages().forEach(watchPage);
  context.on("page", watchPage);
}

/**
 * A client address of its own for each browser context: the account routes' rate limits (five sign-ups a
 * minute per address, read from cf-connecting-ip, which `wrangler dev` passes through as sent) then apply
 * to each simulated traveller, not to the whole run coming from 127.0.0.1.
 */
export function clientAddress(): Record<string, string> {
  const [a, b, c] = randomBytes(3);
  return { "cf-connecting-ip": `10.${a}.${b}.${c}` };
}

interface Fixtures {
  /** Third-party requests and uncaught page errors; any at all fails the test. */
  pageProblems: PageProblems;
  /** A new browser context (with the project's options and a client address of its own), watched like the first. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
}

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use) => {
    await use({ ...extraHTTPHeaders, ...clientAddress() });
  },
  pageProblems: [
    async ({ context }, use) => {
      const problems: PageProblems = { foreign: [], errors: [] };
      watchContext(context, problems);
      await use(problems);
      expect(problems.foreign, "the page made requests to hosts other than localhost").toEqual([]);
      expect(problems.errors, "uncaught errors in the page").toEqual([]);
    },
    { auto: true },
  ],
  newContext: async ({ browser, pageProblems }, use) => {
    const made: BrowserContext[] = [];
    await use(async (options) => {
      const context = await browser.newContext({
        ...options,
        extraHTTPHeaders: { ...options?.extraHTTPHeaders, ...clientAddress() },
      });
      watchContext(context, pageProblems);
      made.push(context);
      return context;
    });
    for (const context of made) await context.close();
  },
});

export interface User {
  name: string;
  email: string;
  password: string;
}

let counter = 0;

/** A user nobody has used yet. */
export function freshUser(label = "traveller"): User {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}${randomUUID().slice(0, 6)}`;
  return {
    name: `E2E ${label} ${counter}`,
    email: `e2e-${label}-${unique}@example.com`,
    password: `Correct-horse-${unique}`,
  };
}

/** Signs a new user up through the page and waits until the app has them signed in. */
export async function signUp(page: Page, user: User = freshUser()): Promise<User> {
  await page.goto("/sign-up");
  await page.getByRole("textbox", { name: "Name" }).fill(user.name);
  await page.getByRole("textbox", { name: "Email" }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-up"));
  await expectSignedIn(page);
  return user;
}

/** The page's session cookie is a signed-in one ("Sign out" itself sits in the drawer on phones). */
export async function expectSignedIn(page: Page): Promise<void> {
  await expect.poll(async () => (await page.request.get("/api/me")).status()).toBe(200);
}

/** Signs in through the page; returns without waiting for the outcome. */
export async function submitSignIn(page: Page, user: Pick<User, "email" | "password">): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("textbox", { name: "Email" }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export const conversation = (page: Page) => page.getByRole("region", { name: "Conversation" });
export const replies = (page: Page) => conversation(page).getByRole("article", { name: "Mylo", exact: true });
export const userMessages = (page: Page) => conversation(page).getByRole("article", { name: "You", exact: true });
export const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });
export const stopButton = (page: Page) => page.getByRole("button", { name: "Stop", exact: true });

/** Types a message into the composer and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await expect(box).toBeEditable();
  await box.fill(text);
  await box.press("Enter");
}

/** Waits until the last reply has streamed to its end and the composer is ready again. */
export async function waitForReplyDone(page: Page, timeout = 30_000): Promise<Locator> {
  const last = replies(page).last();
  try {
    await expect(last).toContainText(replyEnd, { timeout });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${await describeStoredReply(page)}`, { cause: error });
  }
  await expect(stopButton(page)).toBeHidden({ timeout });
  return last;
}

/** What the server kept of the open chat's last reply, to tell a page that lost text from a server that did. */
async function describeStoredReply(page: Page): Promise<string> {
  const match = new URL(page.url()).pathname.match(/^\/chat\/([^/]+)/);
  if (!match?.[1]) return `Not on a chat page (${page.url()}).`;
  const response = await page.request.get(`/api/chats/${match[1]}/messages`).catch(() => undefined);
  if (!response) return "The stored messages could not be read.";
  const body = await response.text();
  let lastReply = "";
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const list = Object.values(parsed).find(Array.isArray) as
      | Array<{ role?: string; parts?: Array<{ type?: string; text?: string }> }>
      | undefined;
    const reply = (list ?? []).filter((message) => message.role === "assistant").at(-1);
    lastReply = (reply?.parts ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
  } catch {
    return `GET /api/chats/${match[1]}/messages: ${response.status()} ${body.slice(0, 300)}`;
  }
  const complete = replyEnd.test(lastReply);
  return `GET /api/chats/${match[1]}/messages: ${response.status()}; the stored reply is ${complete ? "complete" : "NOT complete"}: "…${lastReply.slice(-160)}"`;
}

/** Sends a message, and stops its reply as soon as it has started (waiting for the server's stop). */
export async function sendAndStop(page: Page, text: string): Promise<void> {
  const before = await replies(page).count();
  await sendMessage(page, text);
  await expect(replies(page)).toHaveCount(before + 1, { timeout: 15_000 });
  await expect(replies(page).last()).toContainText(offlineSentence);
  const stopped = page.waitForResponse((response) =>
    /^\/api\/chat\/[^/]+\/stop$/.test(new URL(response.url()).pathname),
  );
  await stopButton(page).click();
  // The server has ended the reply once its stop route answers (the test of Stop itself does not wait).
  expect((await stopped).status()).toBeLessThan(300);
  await expect(stopButton(page)).toBeHidden();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
}

/** Sends a message and waits for its whole reply. */
export async function chat(page: Page, text: string): Promise<Locator> {
  const before = await replies(page).count();
  await sendMessage(page, text);
  await expect(replies(page)).toHaveCount(before + 1, { timeout: 15_000 });
  return waitForReplyDone(page);
}

/** An element's text, with runs of white space as one space. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The id of the chat open at `/chat/:id`. */
export async function currentChatId(page: Page): Promise<string> {
  await page.waitForURL(/\/chat\/[^/?#]+/);
  const match = new URL(page.url()).pathname.match(/^\/chat\/([^/]+)/);
  if (!match?.[1]) throw new Error(`Not a chat URL: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/**
 * Makes the signed-in user of `request` (a page's or context's request context, sharing its cookies)
 * Pro, with a Polar `subscription.active` delivery signed as Polar signs it.
 */
export async function makePro(request: APIRequestContext): Promise<void> {
  const meResponse = await request.get("/api/me");
  expect(meResponse.status(), await meResponse.text()).toBe(200);
  const me = (await meResponse.json()) as { user: { id: string; email: string; name: string } };

  const event = JSON.parse(polarSubscriptionActiveRaw);
  const now = new Date();
  const end = new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000);
  const customerId = randomUUID();
  event.timestamp = now.toISOString();
  Object.assign(event.data, {
    id: randomUUID(),
    customer_id: customerId,
    product_id: polarProProductId,
    created_at: now.toISOString(),
    modified_at: now.toISOString(),
    current_period_start: now.toISOString(),
    current_period_end: end.toISOString(),
    started_at: now.toISOString(),
    checkout_id: randomUUID(),
  });
  Object.assign(event.data.customer, {
    id: customerId,
    external_id: me.user.id,
    email: me.user.email,
    name: me.user.name,
  });
  const body = JSON.stringify(event);
  const webhookId = `msg_${randomUUID().replaceAll("-", "")}`;
  const signature = new Webhook(polarWebhookSecret).sign(webhookId, now, body);
  const delivery = await request.post("/api/webhooks/polar", {
    headers: {
      "content-type": "application/json",
      "webhook-id": webhookId,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    },
    data: body,
  });
  expect(delivery.status(), await delivery.text()).toBeLessThan(300);

  const after = (await (await request.get("/api/me")).json()) as { plan: { tier: string } };
  expect(after.plan.tier, "the signed subscription.active delivery made the user Pro").toBe("pro");
}

/** The page says the chat is not found, with an alert (a private chat of someone else looks like none). */
export async function expectNotFound(page: Page): Promise<void> {
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(page.locator("body")).toContainText(/not found/i);
  await expect(conversation(page).getByRole("article")).toHaveCount(0);
  await expect(composer(page)).toHaveCount(0);
}

/** Neither the document nor its body is wider than the window. */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(widths.scrollWidth, `${where}: the page scrolls sideways (${JSON.stringify(widths)})`).toBeLessThanOrEqual(
    widths.innerWidth,
  );
}
