import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type postgres from "postgres";
import { expect } from "vitest";
import { createApp } from "../../src/app";
import type { Env } from "../../src/env";
import { errorEnvelopeSchema } from "../../src/http/error-envelope";
import { BASE } from "../support/http";

/** Asserts a 4xx that is the one envelope, with the x-request-id header matching it; returns the body. */
export async function expectClientError(response: Response, label: string) {
  const text = await response.text();
  expect(response.status, `${label}: ${response.status} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  const requestId = response.headers.get("x-request-id");
  expect(requestId, `${label}: x-request-id`).toBeTruthy();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${label}: not JSON: ${text.slice(0, 300)}`);
  }
  const envelope = errorEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) throw new Error(`${label}: not the error envelope: ${text.slice(0, 300)}`);
  expect(envelope.data.error.requestId, `${label}: requestId`).toBe(requestId);
  return envelope.data;
}

/** Row counts of everything a request by `userId` could write. */
export async function footprint(sql: postgres.Sql, userId: string) {
  const [row] = await sql`
    select
      (select count(*)::int from chat where user_id = ${userId}) as chats,
      (select md5(coalesce(string_agg(id || title || visibility || updated_at::text, ',' order by id), ''))
        from chat where user_id = ${userId}) as chats_digest,
      (select count(*)::int from message m join chat c on c.id = m.chat_id where c.user_id = ${userId}) as messages,
      (select count(*)::int from stream s join chat c on c.id = s.chat_id where c.user_id = ${userId}) as streams,
      (select count(*)::int from custom_instructions where user_id = ${userId}) as instructions,
      (select md5(coalesce(string_agg(content || updated_at::text, ','), ''))
        from custom_instructions where user_id = ${userId}) as instructions_digest,
      (select count(*)::int from message_usage where user_id = ${userId}) as usage_rows,
      (select coalesce(sum(message_count), 0)::int from message_usage where user_id = ${userId}) as usage_count,
      (select count(*)::int from session where user_id = ${userId}) as sessions,
      (select count(*)::int from "user" where id = ${userId}) as users,
      (select count(*)::int from subscription where user_id = ${userId}) as subscriptions,
      (select count(*)::int from payment where user_id = ${userId}) as payments`;
  if (!row) throw new Error("no footprint row");
  return row;
}

const pending = new Set<Promise<unknown>>();

/** Waits for the background work of requests sent with `waitForBackground: false`. */
export async function settleBackground(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.all(all);
}

interface FaultEnv {
  TEST_FAULT_CONTROL: string;
}

const controlUrl = () => (env as unknown as FaultEnv).TEST_FAULT_CONTROL;

/** The fault proxy's switch (test/global-setup.ts): only requests sent with `faultEnv()` go through it. */
export async function setDatabase(state: "up" | "down"): Promise<void> {
  const response = await fetch(`${controlUrl()}/db/${state}`, { method: "POST" });
  if (!response.ok) throw new Error(`fault control answered ${response.status}`);
  await response.arrayBuffer();
}

/** The Worker's environment with its Hyperdrive binding pointed at the fault proxy. */
export async function faultEnv(): Promise<Env> {
  const response = await fetch(`${controlUrl()}/db`);
  const { connectionString } = (await response.json()) as { connectionString: string };
  return { ...env, HYPERDRIVE: { ...env.HYPERDRIVE, connectionString } } as Env;
}

/**
 * Sends a request through a fresh app with `workerEnv`. By default it also waits for the request's background
 * work (closing its database client), which after a connection failure can take the client's 5 s end timeout.
 */
export async function fetchWith(
  workerEnv: Env,
  path: string,
  init: RequestInit = {},
  options: { waitForBackground?: boolean } = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(new Request(new URL(path, BASE), init), workerEnv, ctx);
  const body = await response.arrayBuffer();
  const background = waitOnExecutionContext(ctx);
  if (options.waitForBackground === false) pending.add(background.catch(() => {}));
  else await background;
  return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
}
