// Benchmark scenarios. Each is measured against the `/health` baseline of the same run, as a ratio,
// because absolute numbers on shared machines mean little. Add new scenarios to this list.
//
// A scenario: { name, path, method?, headers?, body?, setup?(ctx) -> extra fields, report?(ctx) -> text,
//   target?: { minRatio } | { maxLatencyRatioTo: "<an earlier scenario's name>", value } }
// `setup` runs once before the scenario and may return { path, headers, body, report } overrides.
// `maxLatencyRatioTo` compares mean latency with a scenario measured earlier in the same run.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { loadProfileVars } from "./load-profile.mjs";

const PAGE = 50;
const MESSAGES_FIRST_PAGE = "GET /api/chats/:id/messages first page (100k)";

/** Signs a bench user up through the app (email verification is off in the dev app) and returns a bearer. */
export async function signUpBenchUser(url) {
  // A fresh client address per user keeps the auth rate limit (per cf-connecting-ip) out of the way.
  const octet = () => Math.floor(Math.random() * 250) + 1;
  const headers = {
    "content-type": "application/json",
    "cf-connecting-ip": `198.18.${octet()}.${octet()}`,
    // better-auth wants a trusted Origin: locally the app's own URL (BETTER_AUTH_URL follows the port).
    origin: url,
  };
  const email = `bench-${randomUUID()}@example.test`;
  const password = `bench-${randomUUID()}`;
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email, password, name: "Bench Traveller" }),
  });
  if (!signUp.ok) throw new Error(`bench sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email, password }),
  });
  const bearer = signIn.headers.get("set-auth-token");
  if (!signIn.ok || !bearer) throw new Error(`bench sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const { user } = await signIn.json();
  return { id: user.id, headers: { authorization: `Bearer ${bearer}` } };
}

async function withSql(databaseUrl, fn) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/** The same cursor the app issues (src/services/chats/keyset-cursor.ts); a mismatch shows up as 400s. */
const messagesCursor = (createdAt, id) =>
  Buffer.from(JSON.stringify([1, "messages", createdAt, id])).toString("base64url");

// The app's last-page query as Drizzle renders it (src/db/queries/messages.ts), for EXPLAIN ANALYZE.
const messagesPageSql = `
  select "id", "chat_id", "role", "parts", "attachments", "created_at", "model", "input_tokens",
         "output_tokens", "total_tokens", "completion_time",
         to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  from "message"
  where ("message"."chat_id" = $1 and "message"."created_at" >= $2::text::timestamptz
         and ("message"."created_at", "message"."id") > ($3::text::timestamptz, $4))
  order by "message"."created_at" asc, "message"."id" asc
  limit $5`;

let bigChat;

/** One user with one chat of 100,000 messages, seeded once and shared by the first- and last-page scenarios. */
function seedBigChat(context) {
  bigChat ??= (async () => {
    const user = await signUpBenchUser(context.url);
    const chatId = randomUUID();
    const lastPage = await withSql(context.databaseUrl, async (sql) => {
      await sql`insert into chat (id, user_id, title) values (${chatId}, ${user.id}, 'A very long trip')`;
      // Pairs of messages share a timestamp, as a user message and a fast reply can.
      await sql`
        insert into message (id, chat_id, role, parts, attachments, created_at)
        select gen_random_uuid()::text, ${chatId},
               case when n % 2 = 0 then 'user' else 'assistant' end,
               json_build_array(json_build_object('type', 'text', 'text', 'Message number ' || n)),
               '[]'::json,
               timestamptz '2025-01-01 00:00:00+00' + (n / 2) * interval '1 second'
        from generate_series(1, 100000) as n`;
      // Other chats talking at the same moments, so the planner must pick the (chat_id, created_at, id) index
      // rather than walk the timeline of a database that holds only this chat.
      await sql`
        insert into chat (id, user_id, title)
        select ${chatId} || '-other-' || n, ${user.id}, 'Another trip' from generate_series(1, 500) as n`;
      await sql`
        insert into message (id, chat_id, role, parts, created_at)
        select gen_random_uuid()::text, ${chatId} || '-other-' || (n % 500 + 1), 'user',
               json_build_array(json_build_object('type', 'text', 'text', 'Elsewhere ' || n)),
               timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second'
        from generate_series(1, 100000) as n`;
      await sql`analyze chat`;
      await sql`analyze message`;
      // The row just before the last PAGE rows: its cursor fetches exactly the last page.
      const [anchor] = await sql`
        select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
        from message where chat_id = ${chatId}
        order by created_at desc, id desc offset ${PAGE} limit 1`;
      return anchor;
    });
    return { user, chatId, lastPage };
  })();
  return bigChat;
}

/** A setup run once and shared by every scenario that uses it (a base scenario and its shortcut pairs). */
function once(setup) {
  let result;
  return (context) => {
    result ??= setup(context);
    return result;
  };
}

const chatListSetup = once(async (context) => {
  const user = await signUpBenchUser(context.url);
  await withSql(context.databaseUrl, async (sql) => {
    await sql`
      insert into chat (id, user_id, title, visibility, created_at, updated_at)
      select gen_random_uuid()::text, ${user.id}, 'Trip ' || n,
             case when n % 5 = 0 then 'public' else 'private' end,
             now() - n * interval '1 minute', now() - n * interval '1 minute'
      from generate_series(1, 1000) as n`;
    await sql`analyze chat`;
  });
  return { path: "/api/chats", headers: user.headers };
});

const meSetup = once(async (context) => {
  const user = await signUpBenchUser(context.url);
  return { path: "/api/me", headers: user.headers };
});

/**
 * A shortcut measured on and off in the same run: the same request, alternating in slices with the
 * same request sent with the shortcut switched off (`x-mylo-shortcuts-off`, honoured outside production).
 * The ratio is on ÷ off: 1.10 is the 10% a shortcut must buy to be kept (docs/architecture.md).
 */
function shortcutPair(shortcut, label, setup) {
  return { name: `shortcut ${shortcut}: ${label} on÷off`, shortcut, setup };
}

/** The pairs, one per shortcut and scenario it is meant to speed up; BENCH_ONLY=shortcut runs them alone. */
export const shortcutPairs = [
  shortcutPair("bearer", "GET /api/chats", chatListSetup),
  shortcutPair("session-lookup", "GET /api/chats", chatListSetup),
  shortcutPair("inline-read", "GET /ready", async () => ({ path: "/ready" })),
  shortcutPair("inline-read", "GET /api/chats", chatListSetup),
  shortcutPair("driver", "GET /ready", async () => ({ path: "/ready" })),
  shortcutPair("socket", "GET /ready", async () => ({ path: "/ready" })),
  shortcutPair("all", "GET /api/chats", chatListSetup),
];

export const scenarios = [
  {
    name: "GET /ready (one database round trip)",
    path: "/ready",
    target: { minRatio: 0.5 },
  },
  {
    name: "GET /api/chats (user with 1,000 chats)",
    target: { minRatio: 0.35 },
    setup: chatListSetup,
  },
  {
    name: "GET /api/me (signed in)",
    target: { minRatio: 0.35 },
    setup: meSetup,
  },
  {
    name: "POST /api/webhooks/polar (signed deliveries)",
    target: { minRatio: 0.25 },
    async setup() {
      const signer = new Webhook(loadProfileVars.POLAR_WEBHOOK_SECRET);
      const prefix = `bench-${randomUUID()}`;
      let sequence = 0;
      return {
        path: "/api/webhooks/polar",
        method: "POST",
        requests: [
          {
            // Every request is a new delivery of a new subscription, signed as Polar signs it.
            setupRequest(request) {
              const webhookId = `${prefix}-${sequence++}`;
              const now = new Date();
              const body = JSON.stringify({
                type: "subscription.active",
                timestamp: now.toISOString(),
                data: {
                  id: webhookId,
                  created_at: now.toISOString(),
                  modified_at: now.toISOString(),
                  amount: 900,
                  currency: "usd",
                  recurring_interval: "month",
                  status: "active",
                  current_period_start: now.toISOString(),
                  current_period_end: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
                  cancel_at_period_end: false,
                  customer_id: "cus_bench",
                  product_id: loadProfileVars.POLAR_PRO_PRODUCT_IDS,
                  metadata: {},
                  custom_field_data: {},
                  customer: { external_id: null, email: "bench@example.test" },
                },
              });
              const signature = signer.sign(webhookId, now, body);
              return {
                ...request,
                method: "POST",
                path: "/api/webhooks/polar",
                body,
                headers: {
                  "content-type": "application/json",
                  "webhook-id": webhookId,
                  "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
                  "webhook-signature": signature,
                },
              };
            },
          },
        ],
        /**
         * Every delivery processed exactly once: one dedupe row and one subscription each, for at least every
         * acknowledged delivery and at most every sent one (the run stops with some still in flight).
         */
        async verify(context, summary) {
          const counts = await withSql(context.databaseUrl, async (sql) => {
            const [row] = await sql`
              select (select count(*)::int from webhook_event where provider = 'polar' and webhook_id like ${`${prefix}-%`}) as events,
                     (select count(*)::int from subscription where id like ${`${prefix}-%`}) as subscriptions`;
            return row;
          });
          const accepted = summary.total - summary.non2xx;
          const exact = counts.events === counts.subscriptions;
          if (!exact || counts.events < accepted || counts.events > sequence) {
            return `${sequence} sent, ${accepted} acknowledged, ${counts.events} recorded, ${counts.subscriptions} applied`;
          }
          return undefined;
        },
      };
    },
  },
  {
    name: MESSAGES_FIRST_PAGE,
    async setup(context) {
      const { user, chatId } = await seedBigChat(context);
      return { path: `/api/chats/${chatId}/messages?limit=${PAGE}`, headers: user.headers };
    },
  },
  {
    name: "GET /api/chats/:id/messages last page (100k)",
    target: { maxLatencyRatioTo: MESSAGES_FIRST_PAGE, value: 1.5 },
    async setup(context) {
      const { user, chatId, lastPage } = await seedBigChat(context);
      const cursor = messagesCursor(lastPage.created_at, lastPage.id);
      const path = `/api/chats/${chatId}/messages?limit=${PAGE}&cursor=${cursor}`;
      // Measure the right thing: a full page that is the last one.
      const page = await (await fetch(`${context.url}${path}`, { headers: user.headers })).json();
      if (page.items?.length !== PAGE || page.nextCursor !== null) {
        throw new Error(`the last-page cursor does not reach the last page: ${JSON.stringify(page).slice(0, 300)}`);
      }
      return { path, headers: user.headers };
    },
    async report(context) {
      const { chatId, lastPage } = await seedBigChat(context);
      const plan = await withSql(context.databaseUrl, (sql) =>
        sql.unsafe(`explain (analyze, buffers, costs off) ${messagesPageSql}`, [
          chatId,
          lastPage.created_at,
          lastPage.created_at,
          lastPage.id,
          PAGE + 1,
        ]),
      );
      const lines = plan.map((row) => `  ${row["QUERY PLAN"]}`).join("\n");
      return `\nEXPLAIN ANALYZE of the last-page query (chat with 100,000 messages, limit ${PAGE}):\n${lines}`;
    },
  },
  ...shortcutPairs,
];
