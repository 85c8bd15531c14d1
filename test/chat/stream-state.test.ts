import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REPLY_TABLES } from "../../src/durable-objects/stream-store";

describe("a chat's stored reply state", () => {
  it("reads a status it does not know (a claim stored by an older version) as nothing live", async () => {
    const stub = env.CHAT_STREAM.getByName(crypto.randomUUID());
    await runInDurableObject(stub, async (_instance, state) => {
      for (const statement of REPLY_TABLES) state.storage.sql.exec(statement);
      state.storage.sql.exec(
        "insert or replace into reply_state (id, stream_id, status, at) values (1, ?, 'claimed', ?)",
        crypto.randomUUID(),
        Date.now(),
      );
    });

    const response = await stub.fetch("https://chat-stream/stream");
    expect(response.status).toBe(204);
    expect(await stub.isGenerating()).toBe(false);
    expect(await stub.claim(crypto.randomUUID())).toBe(true);
  });
});
