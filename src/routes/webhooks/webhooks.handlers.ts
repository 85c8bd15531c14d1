import type { Context } from "hono";
import type { WebhookProvider } from "../../db/queries/billing";
import type { AppEnv } from "../../http/types";
import { receiveWebhook } from "../../services/billing/receive-webhook";

async function receive(c: Context<AppEnv>, provider: WebhookProvider) {
  // Read once, as text, and verify exactly these characters.
  const body = await c.req.text();
  const deps = c.get("deps");
  const outcome = await receiveWebhook({
    ctx: { db: deps.db, config: c.get("config"), log: c.get("log") },
    input: {
      provider,
      body,
      headers: {
        id: c.req.header("webhook-id"),
        timestamp: c.req.header("webhook-timestamp"),
        signature: c.req.header("webhook-signature"),
      },
    },
  });
  return c.json(outcome.duplicate ? { received: true as const, duplicate: true } : { received: true as const }, 200);
}

export const polarWebhookHandler = (c: Context<AppEnv>) => receive(c, "polar");
export const dodoWebhookHandler = (c: Context<AppEnv>) => receive(c, "dodo");
