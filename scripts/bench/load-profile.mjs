// A load profile: for BENCH_LOAD_SECONDS (default 20) several virtual users (BENCH_LOAD_USERS, default 10)
// mix the real traffic against the running app: reading chats and messages, sending messages (a small
// share: every reply streams BENCH_STREAM_CHUNKS chunks), an occasional sign-in, signed Polar and Dodo
// deliveries with deliberate redeliveries, and lookouts inserted due and dispatched through wrangler dev's
// local /cdn-cgi/handler/scheduled endpoint. Afterwards the database is checked: every accepted message saved once with one
// reply, usage counts equal to accepted messages, every delivery applied once, every lookout run once.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 10);
const PRO_USERS = 8;
const LOOKOUTS_PER_TICK = 2;
const LOOKOUT_TICK_MS = 2000;
// Sign-up plus sign-in use 2 of the 5 auth requests a client address may make per minute.
const SIGN_IN_EVERY_MS = 25_000;
const SETTLE_TIMEOUT_MS = 90_000;

/** Passed to the app as vars by bench.mjs: fresh secrets and product ids for this run. */
export const loadProfileVars = {
  POLAR_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
  DODO_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
  POLAR_PRO_PRODUCT_IDS: randomUUID(),
  DODO_PRO_PRODUCT_IDS: `pdt_load_${randomUUID().replaceAll("-", "")}`,
  BILLING_METADATA_SECRET: randomBytes(32).toString("base64url"),
};

/**
 * The user id and its signature as our checkouts put them in Dodo's metadata (the scheme of
 * src/services/billing/billing-user-signature.ts over src/lib/labelled-hmac.ts): webhooks trust no other.
 */
function signedBuyer(userId) {
  const key = createHmac("sha256", loadProfileVars.BILLING_METADATA_SECRET).update("mylo.billing-metadata.v1").digest();
  return { user_id: userId, user_sig: createHmac("sha256", key).update(userId).digest("base64url") };
}

// The weights of each virtual user's operations; sign-in is added only when the user may sign in again.
const MIX = [
  ["GET /api/chats", 28],
  ["GET /api/chats/:id", 16],
  ["GET /api/chats/:id/messages", 16],
  ["GET /api/me", 6],
  ["POST /api/webhooks/polar", 12],
  ["POST /api/webhooks/dodo", 12],
  ["POST /api/chat", 4],
];
const SIGN_IN = "POST /api/auth/sign-in/email";
const SCHEDULED = "GET /cdn-cgi/handler/scheduled (lookout dispatch)";

const octet = () => Math.floor(Math.random() * 250) + 1;
const pick = (items) => items[Math.floor(Math.random() * items.length)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isNetworkError = (error) => /terminated|other side closed|ECONNRESET|fetch failed/i.test(String(error?.message));

class Stats {
  routes = new Map();
  record(route, ms, ok, note) {
    let entry = this.routes.get(route);
    if (!entry) {
      entry = { times: [], errors: 0, retries: 0, notes: new Map() };
      this.routes.set(route, entry);
    }
    entry.times.push(ms);
    if (!ok) {
      entry.errors++;
      if (note) entry.notes.set(note, (entry.notes.get(note) ?? 0) + 1);
    }
  }
  retried(route) {
    this.record(route, 0, true);
    const entry = this.routes.get(route);
    entry.times.pop();
    entry.retries++;
  }
}

/** Times a request; GETs and webhooks (idempotent by design) are sent again once after a dropped local socket. */
async function timed(stats, route, run, { retry = false } = {}) {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const result = await run();
      stats.record(route, performance.now() - started, result.ok, result.note);
      return result;
    } catch (error) {
      if (retry && attempt === 1 && isNetworkError(error)) {
        stats.retried(route);
        continue;
      }
      stats.record(route, performance.now() - started, false, `network: ${String(error?.message).slice(0, 60)}`);
      return { ok: false, thrown: true };
    }
  }
}

async function bodyText(response) {
  return (await response.text()).slice(0, 200);
}

// ---- virtual users ---------------------------------------------------------------------------------------------

async function signUp(url) {
  const account = {
    email: `load-${randomUUID()}@example.test`,
    password: `load-${randomUUID()}`,
    ip: `198.19.${octet()}.${octet()}`,
  };
  const headers = { "content-type": "application/json", "cf-connecting-ip": account.ip, origin: url };
  const up = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email: account.email, password: account.password, name: "Load Traveller" }),
  });
  if (!up.ok) throw new Error(`load sign-up failed: ${up.status} ${await bodyText(up)}`);
  await up.arrayBuffer();
  const signedIn = await signIn(url, account);
  if (!signedIn.ok) throw new Error(`load sign-in failed: ${signedIn.note}`);
  return { ...account, id: signedIn.userId, bearer: signedIn.bearer, lastSignIn: Date.now(), chats: new Map() };
}

async function signIn(url, account) {
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": account.ip, origin: url },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  const bearer = response.headers.get("set-auth-token");
  if (response.status !== 200 || !bearer) return { ok: false, note: `${response.status} ${await bodyText(response)}` };
  const { user } = await response.json();
  return { ok: true, bearer, userId: user.id };
}

const auth = (user) => ({ authorization: `Bearer ${user.bearer}` });

async function getJson(url, user, route, path, stats) {
  return timed(
    stats,
    route,
    async () => {
      const response = await fetch(`${url}${path}`, { headers: auth(user) });
      if (response.status !== 200) return { ok: false, note: `${response.status} ${await bodyText(response)}` };
      return { ok: true, body: await response.json() };
    },
    { retry: true },
  );
}

/** One message to one of the user's chats (never while another of its replies is live: a user sends in turn). */
async function sendMessage(url, user, chatId, stats) {
  const chat = user.chats.get(chatId) ?? { accepted: 0, uncertain: 0 };
  user.chats.set(chatId, chat);
  const result = await timed(stats, "POST /api/chat", async () => {
    const response = await fetch(`${url}/api/chat`, {
      method: "POST",
      headers: { ...auth(user), "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        trigger: "submit-message",
        messages: [{ id: randomUUID(), role: "user", parts: [{ type: "text", text: "Two days in Porto in June?" }] }],
      }),
    });
    if (response.status !== 200 || !response.body) {
      return { ok: false, note: `${response.status} ${await bodyText(response)}` };
    }
    // The message is accepted with the response; the reply is read to its end like a client would.
    chat.accepted++;
    await response.arrayBuffer();
    return { ok: true };
  });
  // A send that failed on the socket may or may not have reached the app.
  if (result.thrown) chat.uncertain++;
  return result;
}

// ---- webhooks -------------------------------------------------------------------------------------------------

function polarDelivery(buyerId) {
  const now = new Date();
  const iso = (ms) => new Date(now.getTime() + ms).toISOString();
  const subscriptionId = randomUUID();
  const body = JSON.stringify({
    type: "subscription.active",
    timestamp: iso(0),
    data: {
      id: subscriptionId,
      created_at: iso(-1000),
      modified_at: iso(0),
      amount: 1500,
      currency: "usd",
      recurring_interval: "month",
      status: "active",
      current_period_start: iso(-1000),
      current_period_end: iso(30 * 86_400_000),
      cancel_at_period_end: false,
      started_at: iso(-1000),
      customer_id: randomUUID(),
      product_id: loadProfileVars.POLAR_PRO_PRODUCT_IDS,
      checkout_id: randomUUID(),
      metadata: {},
      custom_field_data: {},
      customer: { external_id: buyerId, email: "buyer@example.test" },
    },
  });
  return { provider: "polar", body, kind: "subscription", objectId: subscriptionId, buyerId };
}

function dodoDelivery(buyerId) {
  const now = new Date().toISOString();
  const paymentId = `pay_${randomUUID().replaceAll("-", "")}`;
  const body = JSON.stringify({
    business_id: "bus_load",
    type: "payment.succeeded",
    timestamp: now,
    data: {
      payload_type: "Payment",
      payment_id: paymentId,
      business_id: "bus_load",
      created_at: now,
      updated_at: now,
      currency: "USD",
      customer: { customer_id: "cus_load", email: "buyer@example.test", name: "Load Buyer", metadata: {} },
      metadata: signedBuyer(buyerId),
      product_cart: [{ product_id: loadProfileVars.DODO_PRO_PRODUCT_IDS, quantity: 1 }],
      status: "succeeded",
      total_amount: 1500,
      disputes: [],
      refunds: [],
    },
  });
  return { provider: "dodo", body, kind: "payment", objectId: paymentId, buyerId };
}

const signers = {
  polar: () => new Webhook(loadProfileVars.POLAR_WEBHOOK_SECRET),
  dodo: () => new Webhook(loadProfileVars.DODO_WEBHOOK_SECRET),
};

/**
 * Sends a delivery, or (about one in five) redelivers an earlier one of the same provider with its
 * webhook-id, signed again at the current time as providers do on a retry.
 */
async function sendWebhook(url, provider, state, stats) {
  const sent = state.deliveries.filter((delivery) => delivery.provider === provider);
  let delivery;
  if (sent.length > 0 && Math.random() < 0.2) {
    delivery = pick(sent);
  } else {
    const buyerId = state.buyers[state.nextBuyer++ % state.buyers.length];
    delivery = provider === "polar" ? polarDelivery(buyerId) : dodoDelivery(buyerId);
    delivery.msgId = `msg_${randomUUID().replaceAll("-", "")}`;
    delivery.firsts = 0;
    delivery.sends = 0;
    delivery.uncertain = false;
    state.deliveries.push(delivery);
  }
  delivery.sends++;
  let attempts = 0;
  const result = await timed(
    stats,
    `POST /api/webhooks/${provider}`,
    async () => {
      attempts++;
      const seconds = Math.floor(Date.now() / 1000);
      const signature = signers[provider]().sign(delivery.msgId, new Date(seconds * 1000), delivery.body);
      const response = await fetch(`${url}/api/webhooks/${provider}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": delivery.msgId,
          "webhook-timestamp": String(seconds),
          "webhook-signature": signature,
        },
        body: delivery.body,
      });
      if (response.status !== 200) return { ok: false, note: `${response.status} ${await bodyText(response)}` };
      const receipt = await response.json();
      if (!receipt.duplicate) delivery.firsts++;
      return { ok: true };
    },
    { retry: true },
  );
  // After a dropped socket the app may have applied it without us seeing the answer.
  if (result.thrown || attempts > 1) delivery.uncertain = true;
  return result;
}

// ---- lookouts -------------------------------------------------------------------------------------------------

async function triggerScheduled(url, stats) {
  return timed(stats, SCHEDULED, async () => {
    const response = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
    const text = await bodyText(response);
    return response.status === 200 ? { ok: true } : { ok: false, note: `${response.status} ${text}` };
  });
}

async function insertDueLookouts(sql, state) {
  const rows = Array.from({ length: LOOKOUTS_PER_TICK }, () => {
    const id = randomUUID();
    return { id, userId: state.proUsers[state.nextPro++ % state.proUsers.length], title: `Load ${id}` };
  });
  for (const row of rows) {
    await sql`
      insert into lookout (id, user_id, title, prompt, frequency, cron_schedule, timezone, next_run_at, status)
      values (${row.id}, ${row.userId}, ${row.title}, 'Cheap flights to Lisbon this week?', 'once', '',
              'Europe/Lisbon', now() - interval '1 second', 'active')`;
  }
  state.lookouts.push(...rows);
}

/** Every tick: a few lookouts become due, then the minute cron runs (every third tick twice at once). */
async function lookoutLoop(url, sql, state, stats, until) {
  let tick = 0;
  while (Date.now() < until) {
    await insertDueLookouts(sql, state);
    if (tick++ % 3 === 2) await Promise.all([triggerScheduled(url, stats), triggerScheduled(url, stats)]);
    else await triggerScheduled(url, stats);
    await sleep(LOOKOUT_TICK_MS);
  }
}

// ---- setup and checks -----------------------------------------------------------------------------------------

async function seedUsers(sql, prefix, count) {
  const ids = Array.from({ length: count }, () => `${prefix}_${randomUUID().replaceAll("-", "")}`);
  for (const id of ids) {
    await sql`insert into "user" (id, name, email, email_verified) values (${id}, 'Load Buyer', ${`${id}@example.test`}, true)`;
  }
  return ids;
}

async function makePro(sql, userIds) {
  for (const userId of userIds) {
    await sql`
      insert into subscription (id, user_id, created_at, amount, currency, recurring_interval, status,
                                current_period_start, current_period_end, customer_id, product_id)
      values (${randomUUID()}, ${userId}, now(), 1500, 'usd', 'month', 'active', now() - interval '1 day',
              now() + interval '30 days', ${`cus_${userId}`}, ${loadProfileVars.POLAR_PRO_PRODUCT_IDS})`;
  }
}

async function virtualUser(url, user, state, stats, until) {
  while (Date.now() < until) {
    const maySignIn = Date.now() - user.lastSignIn >= SIGN_IN_EVERY_MS;
    const mix = maySignIn ? [...MIX, [SIGN_IN, 4]] : MIX;
    const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
    const roll = Math.random() * total;
    let cumulative = 0;
    const [route] =
      mix.find(([, weight]) => {
        cumulative += weight;
        return roll < cumulative;
      }) ?? mix[0];
    const chatId = pick([...user.chats.keys()]);
    switch (route) {
      case "GET /api/chats":
        await getJson(url, user, route, "/api/chats?limit=20", stats);
        break;
      case "GET /api/chats/:id":
        await getJson(url, user, route, `/api/chats/${chatId}`, stats);
        break;
      case "GET /api/chats/:id/messages":
        await getJson(url, user, route, `/api/chats/${chatId}/messages?limit=20`, stats);
        break;
      case "GET /api/me":
        await getJson(url, user, route, "/api/me", stats);
        break;
      case "POST /api/webhooks/polar":
        await sendWebhook(url, "polar", state, stats);
        break;
      case "POST /api/webhooks/dodo":
        await sendWebhook(url, "dodo", state, stats);
        break;
      case "POST /api/chat":
        // Half start a new chat, half continue one (with its history).
        await sendMessage(url, user, Math.random() < 0.5 ? randomUUID() : chatId, stats);
        break;
      case SIGN_IN: {
        user.lastSignIn = Date.now();
        const result = await timed(stats, SIGN_IN, () => signIn(url, user));
        if (result.ok) user.bearer = result.bearer;
        break;
      }
    }
  }
}

async function checkChats(sql, users) {
  const problems = [];
  let accepted = 0;
  for (const user of users) {
    let userAccepted = 0;
    let userUncertain = 0;
    for (const [chatId, chat] of user.chats) {
      userAccepted += chat.accepted;
      userUncertain += chat.uncertain;
      const [row] = await sql`
        select count(*) filter (where role = 'user')::int as users,
               count(*) filter (where role = 'assistant')::int as assistants
        from message where chat_id = ${chatId}`;
      const inRange = (value) => value >= chat.accepted && value <= chat.accepted + chat.uncertain;
      if (!inRange(row.users) || !inRange(row.assistants)) {
        problems.push(
          `chat ${chatId}: ${chat.accepted} accepted, ${row.users} user / ${row.assistants} assistant messages`,
        );
      }
    }
    accepted += userAccepted;
    const [usage] = await sql`
      select coalesce(sum(message_count), 0)::int as count from message_usage where user_id = ${user.id}`;
    if (usage.count < userAccepted || usage.count > userAccepted + userUncertain) {
      problems.push(`user ${user.id}: ${userAccepted} accepted messages, usage count ${usage.count}`);
    }
  }
  return { problems, accepted };
}

async function checkWebhooks(sql, deliveries) {
  const problems = [];
  for (const delivery of deliveries) {
    const events = await sql`
      select count(*)::int as n from webhook_event where provider = ${delivery.provider} and webhook_id = ${delivery.msgId}`;
    if (events[0].n !== 1) problems.push(`${delivery.provider} ${delivery.msgId}: ${events[0].n} webhook_event rows`);
    if (!delivery.uncertain && delivery.firsts !== 1) {
      problems.push(`${delivery.provider} ${delivery.msgId}: ${delivery.firsts} non-duplicate answers`);
    }
    const rows =
      delivery.kind === "subscription"
        ? await sql`select user_id from subscription where id = ${delivery.objectId}`
        : await sql`select user_id from payment where id = ${delivery.objectId}`;
    if (rows.length !== 1 || rows[0].user_id !== delivery.buyerId) {
      problems.push(`${delivery.kind} ${delivery.objectId}: ${JSON.stringify(rows)} (expected ${delivery.buyerId})`);
    }
  }
  return problems;
}

async function lookoutStates(sql, lookouts) {
  const ids = lookouts.map((row) => row.id);
  if (ids.length === 0) return [];
  return sql`
    select l.id, l.status, l.title, l.user_id, json_array_length(l.run_history) as runs,
           (select string_agg(entry->>'status', ',') from json_array_elements(l.run_history) as entry) as outcomes,
           exists (select 1 from lookout_run_claim c where c.lookout_id = l.id) as claimed,
           (select count(*)::int from chat where chat.user_id = l.user_id and chat.title = 'Scheduled: ' || l.title) as chats
    from lookout l where l.id = any(${ids})`;
}

/** Waits for every lookout to have run (triggering the cron again for any that became due after the last tick). */
async function settleLookouts(url, sql, lookouts, stats) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let states = await lookoutStates(sql, lookouts);
  while (Date.now() < deadline && states.some((row) => row.runs === 0 || row.claimed)) {
    await triggerScheduled(url, stats);
    await sleep(3000);
    states = await lookoutStates(sql, lookouts);
  }
  // A moment longer, so a second (wrong) run would have time to show up.
  await sleep(2000);
  return lookoutStates(sql, lookouts);
}

function checkLookouts(states, expected) {
  const problems = [];
  if (states.length !== expected) problems.push(`${expected} lookouts inserted, ${states.length} found`);
  for (const row of states) {
    if (row.runs !== 1 || row.outcomes !== "success" || row.claimed || row.chats !== 1) {
      problems.push(
        `lookout ${row.id}: ${row.runs} runs (${row.outcomes}), status ${row.status}, claim left ${row.claimed}, ${row.chats} report chats`,
      );
    }
  }
  return problems;
}

/** Waits until every chat has as many replies as accepted messages (a reply is saved as its stream ends). */
async function settleChats(sql, users) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await checkChats(sql, users);
    if (result.problems.length === 0 || Date.now() > deadline) return result;
    await sleep(500);
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export const loadProfileMeasurement = {
  name: "load profile (mixed traffic, consistency checked)",
  async measure({ url, databaseUrl }) {
    const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
    const stats = new Stats();
    try {
      const state = {
        deliveries: [],
        buyers: await seedUsers(sql, "load_buyer", 50),
        nextBuyer: 0,
        proUsers: await seedUsers(sql, "load_pro", PRO_USERS),
        nextPro: 0,
        lookouts: [],
      };
      await makePro(sql, state.proUsers);
      const users = await Promise.all(Array.from({ length: USERS }, () => signUp(url)));
      // Each user starts with one chat of its own to read (its first message counts like any other).
      const setupStats = new Stats();
      await Promise.all(users.map((user) => sendMessage(url, user, randomUUID(), setupStats)));
      const setupNotes = [...setupStats.routes.values()].flatMap((entry) => [...entry.notes]);
      const setupErrors = setupNotes.reduce((sum, [, count]) => sum + count, 0);

      const started = performance.now();
      const until = Date.now() + SECONDS * 1000;
      await Promise.all([
        ...users.map((user) => virtualUser(url, user, state, stats, until)),
        lookoutLoop(url, sql, state, stats, until),
      ]);
      const elapsed = (performance.now() - started) / 1000;

      const chats = await settleChats(sql, users);
      const webhookProblems = await checkWebhooks(sql, state.deliveries);
      const lookoutProblems = checkLookouts(
        await settleLookouts(url, sql, state.lookouts, stats),
        state.lookouts.length,
      );
      const problems = [...chats.problems, ...webhookProblems, ...lookoutProblems];

      const rows = [...stats.routes.entries()].sort((a, b) => b[1].times.length - a[1].times.length);
      const total = rows.reduce((sum, [, entry]) => sum + entry.times.length, 0);
      const errors = rows.reduce((sum, [, entry]) => sum + entry.errors, 0) + setupErrors;
      const retries = rows.reduce((sum, [, entry]) => sum + entry.retries, 0);
      const redeliveries = state.deliveries.reduce((sum, delivery) => sum + delivery.sends - 1, 0);
      const ms = (value) => value.toFixed(0).padStart(7);
      const lines = [
        `Load profile: ${USERS} virtual users + a lookout scheduler for ${elapsed.toFixed(1)} s (BENCH_LOAD_SECONDS=${SECONDS}), replies of the benchmark model`,
        `  ${"route".padEnd(50)}${"requests".padStart(9)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"errors".padStart(8)}`,
        ...rows.map(([route, entry]) => {
          const sorted = [...entry.times].sort((a, b) => a - b);
          return `  ${route.padEnd(50)}${String(sorted.length).padStart(9)}${(sorted.length / elapsed).toFixed(1).padStart(8)}${ms(percentile(sorted, 0.5)).padStart(8)}${ms(percentile(sorted, 0.99)).padStart(8)}${String(entry.errors).padStart(8)}`;
        }),
        `  total ${total} requests, ${(total / elapsed).toFixed(1)} req/s, unexpected errors ${errors} (${((100 * errors) / Math.max(1, total)).toFixed(2)}%), requests sent again after a dropped local socket: ${retries}`,
        ...setupNotes.map(([note, count]) => `    setup POST /api/chat: ${count}x ${note}`),
        ...rows.flatMap(([route, entry]) => [...entry.notes].map(([note, count]) => `    ${route}: ${count}x ${note}`)),
        `  consistency: ${chats.accepted} accepted messages in ${users.reduce((sum, user) => sum + user.chats.size, 0)} chats, ${state.deliveries.length} webhook deliveries (+${redeliveries} redeliveries), ${state.lookouts.length} lookouts dispatched`,
        problems.length === 0
          ? "  consistency PASS: every accepted message saved once with one reply, usage counts equal accepted messages, every delivery applied once, every lookout run once"
          : `  consistency FAIL (${problems.length} problems):`,
        ...problems.slice(0, 20).map((problem) => `    ${problem}`),
      ];
      return { lines, failed: problems.length > 0 || errors > 0 };
    } catch (error) {
      return { lines: [`Load profile: could not run: ${error.stack ?? error.message}`], failed: true };
    } finally {
      await sql.end();
    }
  },
};
