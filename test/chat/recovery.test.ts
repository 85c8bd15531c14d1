import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { REPLY_TABLES } from "../../src/durable-objects/stream-store";
import type { GenerationJob } from "../../src/services/replies/generation-job";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createChat, createMessageUsage, createStream } from "../support/factories";
import { call } from "../support/http";
import { pausingModel, scriptedModel, textTurn, useModel } from "../support/models";
import { chatStream } from "../support/replies";
import type { ChatStream } from "../support/worker";

const { sql, db } = useTestDatabase();
const testModel = useModel();

const sse = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;

/**
 * A reply whose object restarted mid-generation: its state says "generating", its job and the chunks
 * produced so far are in storage, and no generation runs in the (new) instance.
 */
async function orphanReply(chatId: string, job: GenerationJob, events: string[]) {
  const stub = chatStream(chatId);
  await runInDurableObject(stub, async (_instance, state) => {
    for (const statement of REPLY_TABLES) state.storage.sql.exec(statement);
    state.storage.sql.exec(
      "insert or replace into reply_state (id, stream_id, status, at) values (1, ?, 'generating', ?)",
      job.streamId,
      Date.now(),
    );
    state.storage.sql.exec(
      "insert or replace into reply_job (id, job) values (1, ?)",
      JSON.stringify({ ...job, startedAt: Date.now() - 2000 }),
    );
    await state.storage.put("chunk:00000000", events);
    await state.storage.setAlarm(Date.now() + 60_000);
  });
  return stub;
}

async function acceptedTurn(userId: string, chatId: string): Promise<GenerationJob> {
  await createChat(db, { id: chatId, userId, title: "Restarted", messages: [{ text: "Tell me a long story" }] });
  const { id: streamId } = await createStream(db, chatId);
  await createMessageUsage(db, { userId, count: 1 });
  return {
    streamId,
    chatId,
    userId,
    assistantMessageId: crypto.randomUUID(),
    modelId: "offline",
    mode: "chat",
    reservedAt: new Date().toISOString(),
    extremeSearchReserved: false,
  };
}

describe("a restart mid-reply", () => {
  it("saves what was produced when the alarm wakes the new instance, keeps it counted, and frees the chat", async () => {
    const user = await signUpVerified("Restart");
    const chatId = crypto.randomUUID();
    const job = await acceptedTurn(user.id, chatId);
    const events = [
      sse({ type: "start", messageId: job.assistantMessageId }),
      sse({ type: "start-step" }),
      sse({ type: "text-start", id: "t" }),
      sse({ type: "text-delta", id: "t", delta: "Once upon a time " }),
      sse({ type: "text-delta", id: "t", delta: "in Porto" }),
    ];
    const stub = await orphanReply(chatId, job, events);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [saved] = await sql`select id, parts, model from message where chat_id = ${chatId} and role = 'assistant'`;
    expect(saved?.id).toBe(job.assistantMessageId);
    expect(JSON.stringify(saved?.parts)).toContain("Once upon a time in Porto");
    const [usage] = await sql`select message_count from message_usage where user_id = ${user.id}`;
    expect(usage?.message_count).toBe(1);
    expect(await stub.isGenerating()).toBe(false);

    testModel.install(scriptedModel([textTurn(["And then?"])]));
    const next = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        messages: [{ id: "m", role: "user", parts: [{ type: "text", text: "Go on" }] }],
      }),
    });
    expect(next.status).toBe(200);
    await next.text();
    await stub.waitForReply();
    const roles = await sql`select role from message where chat_id = ${chatId} order by created_at, id`;
    expect(roles.map((row) => row.role)).toEqual(["user", "assistant", "user", "assistant"]);
  });

  it("gives the allowance back when nothing was produced, on the next request", async () => {
    const user = await signUpVerified("Restart2");
    const chatId = crypto.randomUUID();
    const job = await acceptedTurn(user.id, chatId);
    const stub = await orphanReply(chatId, job, [sse({ type: "start", messageId: job.assistantMessageId })]);

    expect(await stub.isGenerating()).toBe(false);
    expect(await sql`select 1 from message where chat_id = ${chatId} and role = 'assistant'`).toHaveLength(0);
    const [usage] = await sql`select message_count from message_usage where user_id = ${user.id}`;
    expect(usage?.message_count).toBe(0);
  });

  async function storedReply(stub: DurableObjectStub<ChatStream>) {
    return runInDurableObject(stub, async (_instance, state) => ({
      jobs: state.storage.sql.exec("select count(*) as n from reply_job").one().n,
      states: state.storage.sql.exec("select count(*) as n from reply_state").one().n,
      chunks: (await state.storage.list({ prefix: "chunk:" })).size,
      alarm: await state.storage.getAlarm(),
    }));
  }

  const produced = (job: GenerationJob) => [
    sse({ type: "start", messageId: job.assistantMessageId }),
    sse({ type: "start-step" }),
    sse({ type: "text-start", id: "t" }),
    sse({ type: "text-delta", id: "t", delta: "Half a story" }),
  ];

  it("ends recovery when the chat was deleted meanwhile: nothing is retried, and the chat id is free again", async () => {
    const user = await signUpVerified("Deleted chat");
    const chatId = crypto.randomUUID();
    const job = await acceptedTurn(user.id, chatId);
    const stub = await orphanReply(chatId, job, produced(job));
    await sql`delete from chat where id = ${chatId}`;

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedReply(stub)).toEqual({ jobs: 0, states: 0, chunks: 0, alarm: null });
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect(await stub.isGenerating()).toBe(false);
    expect(await sql`select 1 from message where id = ${job.assistantMessageId}`).toHaveLength(0);

    // The chat's object takes a new reply again instead of answering busy (409) for ever.
    const claim = crypto.randomUUID();
    expect(await stub.claim(claim)).toBe(true);
    await stub.release(claim);
    testModel.install(scriptedModel([textTurn(["A fresh start."])]));
    const again = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        messages: [{ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "Start over" }] }],
      }),
    });
    expect(again.status).not.toBe(409);
    await again.text();
    await stub.waitForReply();
  });

  it("ends recovery when the account was deleted meanwhile, on the next request as on the alarm", async () => {
    const user = await signUpVerified("Deleted account");
    const chatId = crypto.randomUUID();
    const job = await acceptedTurn(user.id, chatId);
    const stub = await orphanReply(chatId, job, produced(job));
    const deleted = await call("/api/me", {
      method: "DELETE",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ password: user.password }),
    });
    expect(deleted.status).toBeLessThan(300);
    expect(await sql`select 1 from "user" where id = ${user.id}`).toHaveLength(0);

    expect(await stub.isGenerating()).toBe(false);
    expect(await storedReply(stub)).toEqual({ jobs: 0, states: 0, chunks: 0, alarm: null });
    expect(await sql`select 1 from message where id = ${job.assistantMessageId}`).toHaveLength(0);
  });

  it("stores what a reply wrote before a long pause while it pauses, not only once it goes on", async () => {
    const user = await signUpVerified("Pause");
    const chatId = crypto.randomUUID();
    const paused = pausingModel(["Checking ", "the ferry times"], [" — hourly."]);
    testModel.install(paused.model);
    const response = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        messages: [{ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "Ferries to Ilha?" }] }],
      }),
    });
    const stub = chatStream(chatId);
    const stored = () =>
      runInDurableObject(stub, async (_instance, state) =>
        [...(await state.storage.list<string[]>({ prefix: "chunk:" })).values()].flat().join(""),
      );
    try {
      // Within a second of the pause (and well before the reply goes on) the recovery copy has the text.
      let copy = "";
      for (let waited = 0; waited < 5000 && !copy.includes("the ferry times"); waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        copy = await stored();
      }
      expect(copy).toContain("Checking ");
      expect(copy).toContain("the ferry times");
    } finally {
      paused.resume();
    }
    expect(await response.text()).toContain("hourly");
    await stub.waitForReply();
  });
});
