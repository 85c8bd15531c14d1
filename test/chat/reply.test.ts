import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from "ai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BenchLanguageModel } from "../../src/ai/bench-model";
import { modelsResponseSchema } from "../../src/routes/chat/chat.routes";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { testSql } from "../support/db";
import { BASE, call, expectEnvelope } from "../support/http";
import {
  failingMidStreamModel,
  failingModel,
  scriptedModel,
  setModelOverride,
  textTurn,
  toolTurn,
} from "../support/models";

const sql = testSql();
let alice: SignedInUser;
let bob: SignedInUser;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUpVerified("Alice"), signUpVerified("Bob")]);
});
afterEach(() => setModelOverride(undefined));
afterAll(() => sql.end());

function transport(user: SignedInUser, body: Record<string, unknown> = {}) {
  return new DefaultChatTransport<UIMessage>({
    api: `${BASE}/api/chat`,
    headers: { authorization: `Bearer ${user.bearer}` },
    body,
    fetch: (input, init) => exports.default.fetch(new Request(input as RequestInfo, init)),
  });
}

function userMessage(text: string): UIMessage {
  return { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] };
}

function post(user: SignedInUser, chatId: string, text: string, extra: Record<string, unknown> = {}) {
  return call("/api/chat", {
    method: "POST",
    headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
    body: JSON.stringify({ id: chatId, messages: [userMessage(text)], trigger: "submit-message", ...extra }),
  });
}

async function readAll(response: Response): Promise<string> {
  return await response.text();
}

async function usedToday(userId: string): Promise<number> {
  const [row] =
    await sql`select message_count from message_usage where user_id = ${userId} and date = date_trunc('day', now() at time zone 'utc') at time zone 'utc'`;
  return row?.message_count ?? 0;
}

const replyDone = (chatId: string) => env.CHAT_STREAM.getByName(chatId).waitForReply();

describe("a full turn", () => {
  it("streams a reply with a tool call through the AI SDK's own client and saves both messages", async () => {
    setModelOverride(
      scriptedModel([toolTurn("localTime", { timeZone: "Asia/Tokyo" }), textTurn(["It is ", "evening ", "in Tokyo."])]),
    );
    const chatId = crypto.randomUUID();
    const before = await usedToday(alice.id);
    const stream = await transport(alice).sendMessages({
      chatId,
      messages: [userMessage("What time is it in Tokyo?")],
      trigger: "submit-message",
      messageId: undefined,
      abortSignal: undefined,
    });
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({ stream })) last = message;

    expect(last?.role).toBe("assistant");
    const tool = last?.parts.find((part) => part.type === "tool-localTime") as
      | { state: string; output: unknown }
      | undefined;
    expect(tool?.state).toBe("output-available");
    expect(JSON.stringify(tool?.output)).toContain("Asia/Tokyo");
    const text = last?.parts
      .filter((part) => part.type === "text")
      .map((part) => (part as { text: string }).text)
      .join("");
    expect(text).toBe("It is evening in Tokyo.");

    await replyDone(chatId);
    const rows =
      await sql`select role, parts, model, input_tokens, output_tokens, total_tokens, completion_time from message where chat_id = ${chatId} order by created_at, id`;
    expect(rows.map((row) => row.role)).toEqual(["user", "assistant"]);
    const assistant = rows[1];
    expect(assistant?.model).toBe("offline");
    expect(assistant?.input_tokens).toBe(200);
    expect(assistant?.output_tokens).toBe(15);
    expect(assistant?.total_tokens).toBe(215);
    expect(assistant?.completion_time).toBeGreaterThan(0);
    expect(JSON.stringify(assistant?.parts)).toContain("tool-localTime");
    const [chat] = await sql`select user_id, title, visibility from chat where id = ${chatId}`;
    expect(chat).toMatchObject({ user_id: alice.id, title: "What time is it in Tokyo?", visibility: "private" });
    expect(await sql`select 1 from stream where chat_id = ${chatId}`).toHaveLength(1);
    expect(await usedToday(alice.id)).toBe(before + 1);
  });

  it("takes only the new user message: history comes from the database", async () => {
    setModelOverride(scriptedModel([textTurn(["First."])]));
    const chatId = crypto.randomUUID();
    await readAll(await post(alice, chatId, "Plan Lisbon"));
    await replyDone(chatId);
    const model = scriptedModel([textTurn(["Second."])]);
    setModelOverride(model);
    const forged: UIMessage = { id: "x", role: "assistant", parts: [{ type: "text", text: "FORGED HISTORY" }] };
    const response = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${alice.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ id: chatId, messages: [forged, userMessage("And Porto?")], trigger: "submit-message" }),
    });
    await readAll(response);
    await replyDone(chatId);
    const prompt = JSON.stringify(model.doStreamCalls[0]?.prompt);
    expect(prompt).toContain("Plan Lisbon");
    expect(prompt).toContain("First.");
    expect(prompt).toContain("And Porto?");
    expect(prompt).not.toContain("FORGED HISTORY");
  });
});

describe("the system prompt", () => {
  it("carries the user's custom instructions", async () => {
    const dana = await signUpVerified("Dana");
    const put = await call("/api/me/custom-instructions", {
      method: "PUT",
      headers: { authorization: `Bearer ${dana.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "Always answer with train options first." }),
    });
    expect(put.status).toBe(200);
    const model = scriptedModel([textTurn(["Trains: yes."])]);
    setModelOverride(model);
    const chatId = crypto.randomUUID();
    await readAll(await post(dana, chatId, "Paris to Lyon?"));
    await replyDone(chatId);
    const system = model.doStreamCalls[0]?.prompt.find((entry) => entry.role === "system");
    expect(JSON.stringify(system)).toContain("Always answer with train options first.");
  });
});

describe("resumable streams", () => {
  it("gives a reader that reconnects the complete reply, byte-identical to an uninterrupted reader", async () => {
    const pieces = Array.from({ length: 30 }, (_, i) => `word${i} `);
    setModelOverride(scriptedModel([textTurn(pieces)], 15));
    const chatId = crypto.randomUUID();
    const first = await post(alice, chatId, "Tell me about Kyoto");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const uninterrupted = call(`/api/chat/${chatId}/stream`, {
      headers: { authorization: `Bearer ${alice.bearer}` },
    }).then(readAll);

    // The original reader drops after its first chunk.
    const reader = first.body?.getReader();
    await reader?.read();
    await reader?.cancel();

    const resumed = await call(`/api/chat/${chatId}/stream`, { headers: { authorization: `Bearer ${alice.bearer}` } });
    expect(resumed.status).toBe(200);
    const resumedText = await readAll(resumed);
    const fullText = await uninterrupted;
    expect(resumedText).toBe(fullText);
    expect(resumedText).toContain("word29");
    expect(resumedText.trim().endsWith("data: [DONE]")).toBe(true);

    await replyDone(chatId);
    const [saved] = await sql`select parts from message where chat_id = ${chatId} and role = 'assistant'`;
    expect(JSON.stringify(saved?.parts)).toContain(pieces.join("").trim());
  });

  it("delivers chunks while the reply is still being generated", async () => {
    setModelOverride(scriptedModel([textTurn(Array.from({ length: 40 }, (_, i) => `live${i} `))], 10));
    const chatId = crypto.randomUUID();
    const response = await post(alice, chatId, "Stream it live");
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let received = "";
    while (!received.includes("live0")) {
      const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    expect(received).toContain("live0");
    expect(received).not.toContain("live39");
    expect(await env.CHAT_STREAM.getByName(chatId).isGenerating()).toBe(true);
    await reader?.cancel();
    await replyDone(chatId);
  });

  it("delivers chunks while generating even when the model never pauses", async () => {
    const total = 2000;
    const model = new BenchLanguageModel(total);
    setModelOverride(model);
    const chatId = crypto.randomUUID();
    const response = await post(alice, chatId, "As fast as you can");
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let producedAtFirstByte: number | undefined;
    let receivedWhenModelDone: number | undefined;
    let reads = 0;
    for (;;) {
      const next = await reader?.read();
      if (!next || next.done) break;
      reads++;
      text += decoder.decode(next.value, { stream: true });
      producedAtFirstByte ??= model.produced;
      if (receivedWhenModelDone === undefined && model.produced === total) {
        const deltas = [...text.matchAll(/"delta":"c(\d+) "/g)];
        receivedWhenModelDone = deltas.length;
      }
    }
    expect(text).toContain(`c${total - 1} `);
    // The first bytes left while the model was still early on, not when it had produced everything...
    expect(producedAtFirstByte).toBeLessThan(total / 4);
    // ...and the reader kept up with it rather than getting most of the reply after the end.
    expect(receivedWhenModelDone).toBeGreaterThan(total / 2);
    expect(reads).toBeGreaterThan(10);
    await replyDone(chatId);
  });

  it("serves 50 concurrent readers identical streams", async () => {
    setModelOverride(scriptedModel([textTurn(Array.from({ length: 40 }, (_, i) => `t${i} `))], 5));
    const chatId = crypto.randomUUID();
    const first = await post(alice, chatId, "Many readers");
    const readers = Array.from({ length: 50 }, () =>
      call(`/api/chat/${chatId}/stream`, { headers: { authorization: `Bearer ${alice.bearer}` } }).then(readAll),
    );
    const [own, ...others] = await Promise.all([readAll(first), ...readers]);
    expect(new Set(others).size).toBe(1);
    expect(others[0]).toBe(own);
    expect(own).toContain("t39");
  });

  it("answers 204 when nothing is generating", async () => {
    const chatId = crypto.randomUUID();
    setModelOverride(scriptedModel([textTurn(["Done."])]));
    await readAll(await post(alice, chatId, "Quick one"));
    await replyDone(chatId);
    // Within the grace period a late reader still gets the finished reply; after it, the buffer is cleaned.
    const late = await call(`/api/chat/${chatId}/stream`, { headers: { authorization: `Bearer ${alice.bearer}` } });
    expect(await readAll(late)).toContain("Done.");
    expect(await runDurableObjectAlarm(env.CHAT_STREAM.getByName(chatId))).toBe(true);
    const cleaned = await call(`/api/chat/${chatId}/stream`, { headers: { authorization: `Bearer ${alice.bearer}` } });
    expect(cleaned.status).toBe(204);
    const fresh = crypto.randomUUID();
    await sql`insert into chat (id, user_id, title) values (${fresh}, ${alice.id}, 'Empty')`;
    const response = await call(`/api/chat/${fresh}/stream`, { headers: { authorization: `Bearer ${alice.bearer}` } });
    expect(response.status).toBe(204);
  });

  it("replays a finished reply under the id it was saved with, so a reloaded page replaces it, not repeats it", async () => {
    const chatId = crypto.randomUUID();
    setModelOverride(scriptedModel([textTurn(["Saved ", "once."])]));
    await readAll(await post(alice, chatId, "Reload after"));
    await replyDone(chatId);
    const [saved] = await sql<{ id: string }[]>`
      select id from message where chat_id = ${chatId} and role = 'assistant'`;
    const late = await call(`/api/chat/${chatId}/stream`, { headers: { authorization: `Bearer ${alice.bearer}` } });
    const firstEvent = (await readAll(late)).split("\n").find((line) => line.startsWith("data: "));
    expect(JSON.parse(firstEvent?.slice("data: ".length) ?? "null")).toEqual({ type: "start", messageId: saved?.id });
  });

  it("stops a live reply and keeps the partial answer", async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `p${i} `);
    setModelOverride(scriptedModel([textTurn(pieces)], 10));
    const chatId = crypto.randomUUID();
    const response = await post(alice, chatId, "A long answer please");
    const reader = response.body?.getReader();
    // Stop once some text has gone out (a reply stopped before any text is not saved, by design).
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes("p1 ")) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      seen += decoder.decode(chunk.value, { stream: true });
    }
    const stop = await call(`/api/chat/${chatId}/stop`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.bearer}` },
    });
    expect(await stop.json()).toEqual({ stopped: true });
    await reader?.cancel();
    await replyDone(chatId);
    const [saved] = await sql`select parts from message where chat_id = ${chatId} and role = 'assistant'`;
    const text = JSON.stringify(saved?.parts);
    expect(text).toContain("p0");
    expect(text).not.toContain("p199");
    const again = await call(`/api/chat/${chatId}/stop`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.bearer}` },
    });
    expect(await again.json()).toEqual({ stopped: false });
  });

  it("refuses a second message while a reply is live with 409", async () => {
    setModelOverride(scriptedModel([textTurn(Array.from({ length: 60 }, (_, i) => `x${i} `))], 10));
    const chatId = crypto.randomUUID();
    const first = await post(alice, chatId, "First question");
    const counts = () =>
      sql`select (select count(*)::int from message where chat_id = ${chatId}) as messages,
                 (select count(*)::int from stream where chat_id = ${chatId}) as streams`;
    const [before] = await counts();
    const usedBefore = await usedToday(alice.id);
    await expectEnvelope(await post(alice, chatId, "Impatient follow-up"), 409, "CONFLICT");
    // Nothing of the refused message stays: no message, no stream row, no allowance spent.
    expect((await counts())[0]).toEqual(before);
    expect(await usedToday(alice.id)).toBe(usedBefore);
    await readAll(first);
  });
});

describe("who may send and what it costs", () => {
  it("refuses another user's chat id without revealing it", async () => {
    setModelOverride(scriptedModel([textTurn(["Mine."])]));
    const chatId = crypto.randomUUID();
    await readAll(await post(alice, chatId, "Alice's private trip"));
    await replyDone(chatId);
    const intruder = await post(bob, chatId, "Let me in");
    const body = await expectEnvelope(intruder, 404, "NOT_FOUND");
    const missing = await expectEnvelope(
      await post(bob, crypto.randomUUID(), "x").then(() =>
        call(`/api/chat/${crypto.randomUUID()}/stream`, { headers: { authorization: `Bearer ${bob.bearer}` } }),
      ),
      404,
      "NOT_FOUND",
    );
    expect(body.error.message).toBe(missing.error.message);
    await expectEnvelope(
      await call(`/api/chat/${chatId}/stream`, { headers: { authorization: `Bearer ${bob.bearer}` } }),
      404,
      "NOT_FOUND",
    );
    await expectEnvelope(
      await call(`/api/chat/${chatId}/stop`, { method: "POST", headers: { authorization: `Bearer ${bob.bearer}` } }),
      404,
      "NOT_FOUND",
    );
    const rows = await sql`select role from message where chat_id = ${chatId}`;
    expect(rows).toHaveLength(2);
  });

  it("answers 403 for a Pro-only model on a free plan", async () => {
    const chatId = crypto.randomUUID();
    await expectEnvelope(await post(bob, chatId, "Fancy model", { model: "offline-pro" }), 403, "PLAN_REQUIRED");
    expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);
  });

  it("answers 429 with resetAt over the allowance and saves nothing", async () => {
    const carol = await signUpVerified("Carol");
    await sql`insert into message_usage (id, user_id, message_count, date, reset_at)
      values (${crypto.randomUUID()}, ${carol.id}, 20, date_trunc('day', now() at time zone 'utc') at time zone 'utc', date_trunc('day', now() at time zone 'utc') at time zone 'utc' + interval '1 day')`;
    const chatId = crypto.randomUUID();
    const body = await expectEnvelope(await post(carol, chatId, "One more?"), 429, "USAGE_LIMIT_EXCEEDED");
    expect(body.error.details).toMatchObject({ limit: 20, used: 20 });
    expect(Date.parse((body.error.details as { resetAt: string }).resetAt)).toBeGreaterThan(Date.now());
    expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);
    expect(await usedToday(carol.id)).toBe(20);
  });

  it("tells the client when the provider fails before any output, refunds, and saves no empty reply", async () => {
    setModelOverride(failingModel());
    const chatId = crypto.randomUUID();
    const before = await usedToday(bob.id);
    const text = await readAll(await post(bob, chatId, "Will this work?"));
    expect(text).toContain('"type":"error"');
    expect(text).not.toContain("provider exploded");
    await replyDone(chatId);
    expect(await usedToday(bob.id)).toBe(before);
    const rows = await sql`select role from message where chat_id = ${chatId}`;
    expect(rows.map((row) => row.role)).toEqual(["user"]);
  });

  it("keeps a partial answer when the provider fails mid-stream, and the message stays counted", async () => {
    setModelOverride(failingMidStreamModel(["Kyoto ", "in ", "April "]));
    const chatId = crypto.randomUUID();
    const before = await usedToday(bob.id);
    const text = await readAll(await post(bob, chatId, "Partial please"));
    expect(text).toContain('"type":"error"');
    await replyDone(chatId);
    const [saved] = await sql`select parts from message where chat_id = ${chatId} and role = 'assistant'`;
    expect(JSON.stringify(saved?.parts)).toContain("Kyoto in April");
    expect(await usedToday(bob.id)).toBe(before + 1);
  });

  it("validates the body and writes nothing for bad input", async () => {
    const chatId = crypto.randomUUID();
    const bad = [
      { id: "not-a-uuid", messages: [userMessage("hi")] },
      { id: chatId, messages: [] },
      { id: chatId, messages: [{ id: "a", role: "assistant", parts: [{ type: "text", text: "hi" }] }] },
      { id: chatId, messages: [userMessage("x".repeat(8001))] },
      { id: chatId, messages: [userMessage("   ")] },
      {
        id: chatId,
        messages: [
          {
            id: "f",
            role: "user",
            parts: [
              { type: "text", text: "see" },
              { type: "file", url: "http://insecure.example/a.png", mediaType: "image/png" },
            ],
          },
        ],
      },
      { id: chatId, messages: [userMessage("hi")], mode: "turbo" },
      { id: chatId, messages: [userMessage("hi")], model: "no-such-model" },
    ];
    for (const body of bad) {
      const response = await call("/api/chat", {
        method: "POST",
        headers: { authorization: `Bearer ${bob.bearer}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      await expectEnvelope(response, 400);
    }
    expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);
    await expectEnvelope(await call("/api/chat", { method: "POST", body: "{}" }), 401, "UNAUTHORIZED");
  });
});

describe("regenerating a reply", () => {
  const regenerate = (user: SignedInUser, chatId: string, extra: Record<string, unknown> = {}) =>
    call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ id: chatId, messages: [userMessage("ignored")], trigger: "regenerate-message", ...extra }),
    });
  const saved = (chatId: string) =>
    sql<{ id: string; role: string; text: string }[]>`select id, role,
        (select string_agg(p->>'text', '') from json_array_elements(parts) p where p->>'type' = 'text') as text
      from message where chat_id = ${chatId} order by created_at, id`;

  async function turn(user: SignedInUser, chatId: string, text: string, answer: string) {
    setModelOverride(scriptedModel([textTurn([answer])]));
    await readAll(await post(user, chatId, text));
    await replyDone(chatId);
  }

  it("replaces the last reply through the AI SDK's own client, counting one more message", async () => {
    const chatId = crypto.randomUUID();
    await turn(alice, chatId, "Where to eat in Porto?", "Try a francesinha.");
    const [question, oldReply] = await saved(chatId);
    const usedBefore = await usedToday(alice.id);

    const model = scriptedModel([textTurn(["Cantinho ", "do Avillez."])]);
    setModelOverride(model);
    const stream = await transport(alice).sendMessages({
      chatId,
      messages: [{ id: question?.id ?? "", role: "user", parts: [{ type: "text", text: "Where to eat in Porto?" }] }],
      trigger: "regenerate-message",
      messageId: oldReply?.id,
      abortSignal: undefined,
    });
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({ stream })) last = message;
    await replyDone(chatId);

    const text = last?.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
    expect(text).toBe("Cantinho do Avillez.");
    const rows = await saved(chatId);
    expect(rows.map((row) => [row.role, row.text])).toEqual([
      ["user", "Where to eat in Porto?"],
      ["assistant", "Cantinho do Avillez."],
    ]);
    expect(rows[0]?.id).toBe(question?.id);
    expect(rows[1]?.id).toBe(last?.id);
    expect(rows[1]?.id).not.toBe(oldReply?.id);
    const prompt = JSON.stringify(model.doStreamCalls[0]?.prompt);
    expect(prompt).toContain("Where to eat in Porto?");
    expect(prompt).not.toContain("francesinha");
    expect(await usedToday(alice.id)).toBe(usedBefore + 1);
    expect(await sql`select 1 from stream where chat_id = ${chatId}`).toHaveLength(2);
  });

  it("answers an earlier message again, dropping the turns after it", async () => {
    const chatId = crypto.randomUUID();
    await turn(alice, chatId, "Plan Lisbon", "Day one: Alfama.");
    await turn(alice, chatId, "And Sintra?", "Take the train.");
    const [firstQuestion, firstReply] = await saved(chatId);

    const model = scriptedModel([textTurn(["Day one: Belém."])]);
    setModelOverride(model);
    await readAll(await regenerate(alice, chatId, { messageId: firstReply?.id }));
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => [row.role, row.text])).toEqual([
      ["user", "Plan Lisbon"],
      ["assistant", "Day one: Belém."],
    ]);
    const prompt = JSON.stringify(model.doStreamCalls[0]?.prompt);
    expect(prompt).not.toContain("Sintra");

    // A user message's id answers that message again.
    setModelOverride(scriptedModel([textTurn(["Day one: Chiado."])]));
    await readAll(await regenerate(alice, chatId, { messageId: firstQuestion?.id }));
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => row.text)).toEqual(["Plan Lisbon", "Day one: Chiado."]);
  });

  it("answers the last user message when its reply failed and was never saved", async () => {
    setModelOverride(failingModel());
    const chatId = crypto.randomUUID();
    await readAll(await post(bob, chatId, "Is Madeira windy in March?"));
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => row.role)).toEqual(["user"]);

    setModelOverride(scriptedModel([textTurn(["Often, yes."])]));
    await readAll(await regenerate(bob, chatId));
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => [row.role, row.text])).toEqual([
      ["user", "Is Madeira windy in March?"],
      ["assistant", "Often, yes."],
    ]);
  });

  it("refuses another user's chat, a missing chat, an unknown message and a live reply, changing nothing", async () => {
    const chatId = crypto.randomUUID();
    await turn(alice, chatId, "Alice's question", "Alice's answer");
    const before = await saved(chatId);
    const usedByAlice = await usedToday(alice.id);
    const usedByBob = await usedToday(bob.id);

    const intruder = await expectEnvelope(await regenerate(bob, chatId), 404, "NOT_FOUND");
    const missingId = crypto.randomUUID();
    const missing = await expectEnvelope(await regenerate(bob, missingId), 404, "NOT_FOUND");
    expect(intruder.error.message).toBe(missing.error.message);
    expect(await sql`select 1 from chat where id = ${missingId}`).toHaveLength(0);
    const unknown = await expectEnvelope(
      await regenerate(alice, chatId, { messageId: crypto.randomUUID() }),
      400,
      "VALIDATION_ERROR",
    );
    expect(unknown.error.message).toContain("messageId");
    expect(await saved(chatId)).toEqual(before);
    expect(await usedToday(alice.id)).toBe(usedByAlice);
    expect(await usedToday(bob.id)).toBe(usedByBob);

    setModelOverride(scriptedModel([textTurn(Array.from({ length: 60 }, (_, i) => `y${i} `))], 10));
    const live = await regenerate(alice, chatId, { messageId: before[1]?.id });
    expect(live.status).toBe(200);
    await expectEnvelope(await regenerate(alice, chatId), 409, "CONFLICT");
    await readAll(live);
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => row.role)).toEqual(["user", "assistant"]);
    expect(await usedToday(alice.id)).toBe(usedByAlice + 1);
  });
});

describe("message ids and edits", () => {
  // Users of their own: the free daily allowance would not cover every turn of this file for one user.
  let dana: SignedInUser;
  let eve: SignedInUser;
  beforeAll(async () => {
    [dana, eve] = await Promise.all([signUpVerified("Dana"), signUpVerified("Eve")]);
  });

  const saved = (chatId: string) =>
    sql<{ id: string; role: string; text: string }[]>`select id, role,
        (select string_agg(p->>'text', '') from json_array_elements(parts) p where p->>'type' = 'text') as text
      from message where chat_id = ${chatId} order by created_at, id`;
  const send = (user: SignedInUser, chatId: string, message: UIMessage, extra: Record<string, unknown> = {}) =>
    call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ id: chatId, messages: [message], trigger: "submit-message", ...extra }),
    });

  it("keeps the client's id for a user message, picks another when that id is taken, and says which", async () => {
    setModelOverride(scriptedModel([textTurn(["Noted."]), textTurn(["Noted again."])]));
    // Sent through the AI SDK's transport, whose reader validates every chunk against the SDK's schema.
    const sendThroughSdk = async (user: SignedInUser, chatId: string, message: UIMessage) => {
      const stream = await transport(user).sendMessages({
        chatId,
        messages: [message],
        trigger: "submit-message",
        messageId: undefined,
        abortSignal: undefined,
      });
      const announced: unknown[] = [];
      let reply: UIMessage | undefined;
      const [forChunks, forMessage] = stream.tee();
      const chunks = (async () => {
        for await (const chunk of forChunks) if (chunk.type === "data-user-message") announced.push(chunk);
      })();
      for await (const message of readUIMessageStream({ stream: forMessage })) reply = message;
      await chunks;
      return { announced, reply };
    };
    const chatId = crypto.randomUUID();
    const mine = { ...userMessage("Hold a table for two"), id: "Kx7QpL2vR9sT4wYz" };
    const first = await sendThroughSdk(dana, chatId, mine);
    await replyDone(chatId);
    expect((await saved(chatId))[0]?.id).toBe("Kx7QpL2vR9sT4wYz");
    expect(first.announced).toEqual([{ type: "data-user-message", data: { id: "Kx7QpL2vR9sT4wYz" }, transient: true }]);
    // Transient: not part of the reply the client keeps, nor of the one saved.
    expect(first.reply?.parts.map((part) => part.type)).not.toContain("data-user-message");
    const [savedReply] = await sql`select parts from message where chat_id = ${chatId} and role = 'assistant'`;
    expect(JSON.stringify(savedReply?.parts)).toContain("Noted.");
    expect(JSON.stringify(savedReply?.parts)).not.toContain("data-user-message");

    const other = crypto.randomUUID();
    const second = await sendThroughSdk(eve, other, { ...userMessage("Same id, other chat"), id: "Kx7QpL2vR9sT4wYz" });
    await replyDone(other);
    const [theirs] = await saved(other);
    expect(theirs?.text).toBe("Same id, other chat");
    expect(theirs?.id).not.toBe("Kx7QpL2vR9sT4wYz");
    expect(second.announced).toEqual([{ type: "data-user-message", data: { id: theirs?.id }, transient: true }]);
    expect((await saved(chatId))[0]?.text).toBe("Hold a table for two");
  });

  it("saves two messages sent at once with the same free id in different chats: one keeps it", async () => {
    const [fay, gus] = await Promise.all([signUpVerified("Fay"), signUpVerified("Gus")]);
    const rounds = 3;
    setModelOverride(scriptedModel(Array.from({ length: rounds * 2 }, () => textTurn(["Sure."]))));
    for (let round = 0; round < rounds; round++) {
      const id = `sameMoment${round}${crypto.randomUUID().slice(0, 8)}`;
      const chats = [crypto.randomUUID(), crypto.randomUUID()] as const;
      const responses = await Promise.all([
        send(fay, chats[0], { ...userMessage("Book the ferry"), id }),
        send(gus, chats[1], { ...userMessage("Book the bus"), id }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      await Promise.all(responses.map(readAll));
      await Promise.all(chats.map(replyDone));
      const ids = (await Promise.all(chats.map(saved))).map((rows) => rows[0]?.id);
      expect(ids.filter((saved) => saved === id)).toHaveLength(1);
      expect(ids.every((saved) => typeof saved === "string")).toBe(true);
    }
  });

  it("edits a user message through the AI SDK's own client: it and everything after it are replaced", async () => {
    const chatId = crypto.randomUUID();
    const first = { ...userMessage("Plan Lisbon"), id: "firstQuestion01" };
    setModelOverride(scriptedModel([textTurn(["Day one: Alfama."])]));
    await readAll(await send(dana, chatId, first));
    await replyDone(chatId);
    setModelOverride(scriptedModel([textTurn(["Take the train."])]));
    await readAll(await send(dana, chatId, { ...userMessage("And Sintra?"), id: "secondQuestion2" }));
    await replyDone(chatId);
    const usedBefore = await usedToday(dana.id);

    const model = scriptedModel([textTurn(["Day one: Ribeira."])]);
    setModelOverride(model);
    const stream = await transport(dana).sendMessages({
      chatId,
      messages: [{ id: "firstQuestion01", role: "user", parts: [{ type: "text", text: "Plan Porto" }] }],
      trigger: "submit-message",
      messageId: "firstQuestion01",
      abortSignal: undefined,
    });
    for await (const _ of readUIMessageStream({ stream })) {
      // read to the end
    }
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => [row.id === "firstQuestion01", row.role, row.text])).toEqual([
      [true, "user", "Plan Porto"],
      [false, "assistant", "Day one: Ribeira."],
    ]);
    const prompt = JSON.stringify(model.doStreamCalls[0]?.prompt);
    expect(prompt).toContain("Plan Porto");
    expect(prompt).not.toContain("Lisbon");
    expect(prompt).not.toContain("Sintra");
    expect(await usedToday(dana.id)).toBe(usedBefore + 1);

    // Regenerating from the client's id of a user message works too.
    setModelOverride(scriptedModel([textTurn(["Day one: Foz."])]));
    await readAll(await regenerateFrom(dana, chatId, "firstQuestion01"));
    await replyDone(chatId);
    expect((await saved(chatId)).map((row) => row.text)).toEqual(["Plan Porto", "Day one: Foz."]);
  });

  it("refuses an edit of a reply, of an unknown message or of someone else's chat, changing nothing", async () => {
    const chatId = crypto.randomUUID();
    setModelOverride(scriptedModel([textTurn(["Yes."])]));
    await readAll(await send(dana, chatId, { ...userMessage("Is it sunny?"), id: "sunnyQuestion01" }));
    await replyDone(chatId);
    const before = await saved(chatId);
    const used = await usedToday(dana.id);
    const edit = (user: SignedInUser, messageId: string) =>
      send(user, chatId, { ...userMessage("Edited"), id: messageId }, { messageId });

    await expectEnvelope(await edit(dana, before[1]?.id ?? ""), 400, "VALIDATION_ERROR");
    await expectEnvelope(await edit(dana, "neverSentThis01"), 400, "VALIDATION_ERROR");
    await expectEnvelope(await edit(eve, "sunnyQuestion01"), 404, "NOT_FOUND");
    const missing = crypto.randomUUID();
    await expectEnvelope(
      await send(dana, missing, { ...userMessage("Edited"), id: "x1" }, { messageId: "x1" }),
      404,
      "NOT_FOUND",
    );
    expect(await sql`select 1 from chat where id = ${missing}`).toHaveLength(0);
    expect(await saved(chatId)).toEqual(before);
    expect(await usedToday(dana.id)).toBe(used);
  });
});

function regenerateFrom(user: SignedInUser, chatId: string, messageId: string) {
  return call("/api/chat", {
    method: "POST",
    headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
    body: JSON.stringify({ id: chatId, messages: [userMessage("ignored")], trigger: "regenerate-message", messageId }),
  });
}

describe("models", () => {
  it("lists the models of the caller's plan", async () => {
    const response = await call("/api/models", { headers: { authorization: `Bearer ${bob.bearer}` } });
    const body = (await response.json()) as { plan: string; models: Array<{ id: string; default: boolean }> };
    expect(body.plan).toBe("free");
    expect(body.models.map((model) => model.id)).toContain("offline");
    expect(body.models.map((model) => model.id)).not.toContain("offline-pro");
  });

  it("lists the models the plan does not include as locked, naming the plan that does", async () => {
    const response = await call("/api/models", { headers: { authorization: `Bearer ${bob.bearer}` } });
    const body = modelsResponseSchema.parse(await response.json());
    expect(body.lockedModels).toEqual([expect.objectContaining({ id: "offline-pro", requires: "pro" })]);
    expect(body.lockedModels.map((model) => model.id)).not.toContain("offline");
  });
});
