import { env } from "cloudflare:workers";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/env";
import { extremeSearchLimit, messageLimit } from "../../src/services/usage/usage-periods";
import { makePro } from "../lookouts/support";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { testSql } from "../support/db";
import { call, expectEnvelope } from "../support/http";
import { pausingModel, scriptedModel, setModelOverride, textTurn } from "../support/models";

const sql = testSql();
afterAll(() => sql.end());
afterEach(() => setModelOverride(undefined));

function post(user: SignedInUser, chatId: string, text: string, extra: Record<string, unknown> = {}) {
  return call("/api/chat", {
    method: "POST",
    headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
    body: JSON.stringify({
      id: chatId,
      messages: [{ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] }],
      ...extra,
    }),
  });
}

const today = sql`date_trunc('day', now() at time zone 'utc') at time zone 'utc'`;
const thisMonth = sql`date_trunc('month', now() at time zone 'utc') at time zone 'utc'`;

async function used(userId: string) {
  const [row] = await sql`select
      (select message_count from message_usage where user_id = ${userId} and date = ${today}) as messages,
      (select search_count from extreme_search_usage where user_id = ${userId} and date = ${thisMonth}) as searches`;
  return { messages: row?.messages ?? 0, searches: row?.searches ?? 0 };
}

const replyDone = (chatId: string) => env.CHAT_STREAM.getByName(chatId).waitForReply();

describe("Pro abuse ceilings", () => {
  it("default to 500 messages a day and 100 extreme searches a month; `unlimited` lifts them", () => {
    const defaults = loadConfig({ APP_ENV: "test" });
    expect([defaults.PRO_DAILY_MESSAGES, defaults.PRO_MONTHLY_EXTREME_SEARCHES]).toEqual([500, 100]);
    expect(messageLimit(defaults, { tier: "pro" })).toBe(500);
    expect(extremeSearchLimit(defaults, { tier: "pro" })).toBe(100);

    const lifted = loadConfig({
      APP_ENV: "test",
      PRO_DAILY_MESSAGES: "unlimited",
      PRO_MONTHLY_EXTREME_SEARCHES: "unlimited",
    });
    expect(messageLimit(lifted, { tier: "pro" })).toBeNull();
    expect(extremeSearchLimit(lifted, { tier: "pro" })).toBeNull();

    expect(loadConfig({ APP_ENV: "test", PRO_DAILY_MESSAGES: " 250 " }).PRO_DAILY_MESSAGES).toBe(250);
    expect(loadConfig({ APP_ENV: "test", PRO_DAILY_MESSAGES: "0" }).PRO_DAILY_MESSAGES).toBe(0);
    expect(loadConfig({ APP_ENV: "test", PRO_DAILY_MESSAGES: "" }).PRO_DAILY_MESSAGES).toBe(500);
    for (const bad of ["-1", "lots", "1.5"]) {
      expect(() => loadConfig({ APP_ENV: "test", PRO_MONTHLY_EXTREME_SEARCHES: bad })).toThrow(ConfigError);
    }
  });

  it("refuse a Pro user's 501st message of the day and 101st extreme search of the month with 429", async () => {
    const pro = await signUpVerified("Busy Pro");
    await makePro(sql, pro.id);
    await sql`insert into message_usage (id, user_id, message_count, date, reset_at)
      values (${crypto.randomUUID()}, ${pro.id}, 500, ${today}, ${today} + interval '1 day')`;
    const chatId = crypto.randomUUID();
    const daily = await expectEnvelope(await post(pro, chatId, "One more"), 429, "USAGE_LIMIT_EXCEEDED");
    expect(daily.error.details).toMatchObject({ limit: 500, used: 500 });
    expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);

    await sql`update message_usage set message_count = 10 where user_id = ${pro.id}`;
    await sql`insert into extreme_search_usage (id, user_id, search_count, date, reset_at)
      values (${crypto.randomUUID()}, ${pro.id}, 100, ${thisMonth}, ${thisMonth} + interval '1 month')`;
    const monthly = await expectEnvelope(
      await post(pro, chatId, "Research it", { mode: "extreme" }),
      429,
      "USAGE_LIMIT_EXCEEDED",
    );
    expect(monthly.error.details).toMatchObject({ limit: 100, used: 100 });
    expect(await used(pro.id)).toEqual({ messages: 10, searches: 100 });
    expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);
  });
});

describe("concurrent replies", () => {
  it("allows 3 replies generating at once per user: of 5 sent together, 2 get 429 with nothing saved or counted", async () => {
    const user = await signUpVerified("Parallel");
    const held = pausingModel(["Thinking "], ["done."]);
    setModelOverride(held.model);
    const chats = Array.from({ length: 5 }, () => crypto.randomUUID());
    const responses = await Promise.all(chats.map((chatId, index) => post(user, chatId, `Question ${index}`)));
    try {
      const accepted = chats.filter((_, index) => responses[index]?.status === 200);
      const refused = chats.filter((_, index) => responses[index]?.status !== 200);
      expect(accepted).toHaveLength(3);
      expect(refused).toHaveLength(2);
      for (const [index, response] of responses.entries()) {
        if (response.status === 200) continue;
        const body = await expectEnvelope(response, 429, "RATE_LIMITED");
        expect(body.error.details).toEqual({ limit: 3, live: 3 });
        expect(response.headers.get("retry-after")).toBeTruthy();
        expect(await sql`select 1 from chat where id = ${chats[index] ?? ""}`).toHaveLength(0);
      }
      expect((await used(user.id)).messages).toBe(3);
      const streams =
        await sql`select s.chat_id from stream s join chat c on c.id = s.chat_id where c.user_id = ${user.id}`;
      expect(streams.map((row) => row.chat_id).sort()).toEqual([...accepted].sort());

      // A fourth chat is refused while the three are live...
      const waiting = crypto.randomUUID();
      await expectEnvelope(await post(user, waiting, "Still there?"), 429, "RATE_LIMITED");
      expect((await used(user.id)).messages).toBe(3);
    } finally {
      held.resume();
    }
    await Promise.all(responses.filter((response) => response.status === 200).map((response) => response.text()));
    await Promise.all(chats.map(replyDone));

    // ...and taken once they have ended.
    setModelOverride(scriptedModel([textTurn(["Now there is room."])]));
    const later = crypto.randomUUID();
    const response = await post(user, later, "And now?");
    expect(response.status).toBe(200);
    await response.text();
    await replyDone(later);
    expect((await used(user.id)).messages).toBe(4);
  });
});

describe("what one reply may cost", () => {
  it("bounds the output of every model call", async () => {
    const user = await signUpVerified("Bounded");
    const model = scriptedModel([textTurn(["Short."])]);
    setModelOverride(model);
    const chatId = crypto.randomUUID();
    await (await post(user, chatId, "Write me a novel")).text();
    await replyDone(chatId);
    expect(model.doStreamCalls[0]?.maxOutputTokens).toBe(4096);
  });

  it("leaves the oldest turns out when the history is over its token budget, and always sends the newest", async () => {
    const user = await signUpVerified("Long memory");
    const chatId = crypto.randomUUID();
    await sql`insert into chat (id, user_id, title) values (${chatId}, ${user.id}, 'Long')`;
    // About 10,000 estimated tokens a turn (4 characters each) against a budget of 16,000 in all.
    const turns = ["TURN-ONE", "TURN-TWO", "TURN-THREE"];
    for (const [index, marker] of turns.entries()) {
      const at = new Date(Date.now() - (turns.length - index) * 60_000);
      await sql`insert into message (id, chat_id, role, parts, created_at) values
        (${crypto.randomUUID()}, ${chatId}, 'user', ${sql.json([{ type: "text", text: `${marker} ${"x".repeat(20_000)}` }])}, ${at}),
        (${crypto.randomUUID()}, ${chatId}, 'assistant', ${sql.json([{ type: "text", text: `${marker}-ANSWER ${"y".repeat(20_000)}` }])}, ${new Date(at.getTime() + 1000)})`;
    }
    const model = scriptedModel([textTurn(["Noted."])]);
    setModelOverride(model);
    await (await post(user, chatId, "NEWEST question")).text();
    await replyDone(chatId);
    const prompt = JSON.stringify(model.doStreamCalls[0]?.prompt);
    expect(prompt).not.toContain("TURN-ONE");
    expect(prompt).not.toContain("TURN-TWO");
    expect(prompt).toContain("TURN-THREE-ANSWER");
    expect(prompt).toContain("NEWEST question");
    expect(prompt.length / 4).toBeLessThan(16_000);
    expect(model.doStreamCalls[0]?.prompt[0]?.role).toBe("system");
    expect(model.doStreamCalls[0]?.prompt[1]?.role).toBe("user");

    // A newest turn over the whole budget on its own is still sent, alone.
    const huge = `HUGE ${"z".repeat(80_000)}`;
    await sql`insert into message (id, chat_id, role, parts) values
      (${crypto.randomUUID()}, ${chatId}, 'user', ${sql.json([{ type: "text", text: huge }])})`;
    const again = scriptedModel([textTurn(["That is long."])]);
    setModelOverride(again);
    const regenerated = await call("/api/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: chatId,
        messages: [{ id: "x", role: "user", parts: [{ type: "text", text: "ignored" }] }],
        trigger: "regenerate-message",
      }),
    });
    expect(regenerated.status).toBe(200);
    await regenerated.text();
    await replyDone(chatId);
    const messages = again.doStreamCalls[0]?.prompt ?? [];
    expect(messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(JSON.stringify(messages[1])).toContain(huge);
  });
});
