import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createModelRegistry } from "../../src/ai/model-registry";
import type { Db } from "../../src/db/client";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/lib/log";
import { generateReply } from "../../src/services/replies/generate-reply";
import type { GenerationJob } from "../../src/services/replies/generation-job";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { installedModel, scriptedModel, textTurn, useModel } from "../support/models";

const { sql, handle } = useTestDatabase();
const testModel = useModel();

/** The database, with the moment of its first use noted (as the position in the emitted chunks). */
function watchedDb(emitted: string[]) {
  const seen: { at?: number } = {};
  const db = new Proxy(handle.db, {
    get(target, property, receiver) {
      seen.at ??= emitted.length;
      return Reflect.get(target, property, receiver);
    },
  }) as Db;
  return { db, seen };
}

async function turn(title: string) {
  const user = await signUpVerified();
  const chatId = crypto.randomUUID();
  const userMessageId = crypto.randomUUID();
  await sql`insert into chat (id, user_id, title) values (${chatId}, ${user.id}, ${title})`;
  const job: GenerationJob = {
    streamId: crypto.randomUUID(),
    chatId,
    userId: user.id,
    assistantMessageId: crypto.randomUUID(),
    userMessageId,
    modelId: "offline",
    mode: "chat",
    reservedAt: new Date().toISOString(),
    extremeSearchReserved: false,
  };
  return { job, userMessageId };
}

describe("generating a reply", () => {
  it("streams from the history and instructions it is handed: the database is first used to save the reply", async () => {
    const { job, userMessageId } = await turn("Handed history");
    const model = scriptedModel([textTurn(["Lisbon ", "in ", "May."])]);
    testModel.install(model);
    const emitted: string[] = [];
    const { db, seen } = watchedDb(emitted);
    const config = loadConfig(env);

    const outcome = await generateReply({
      ctx: {
        db,
        config,
        log: createLogger({}, "warn"),
        models: createModelRegistry({ config, env, override: installedModel }),
      },
      job,
      input: {
        history: [
          { id: "m-earlier", role: "user", parts: [{ type: "text", text: "Where should I go in spring?" }] },
          { id: userMessageId, role: "user", parts: [{ type: "text", text: "And the weather there?" }] },
        ],
        customInstructions: "Answer in one sentence.",
      },
      signal: new AbortController().signal,
      emit: (chunk) => {
        emitted.push(chunk);
      },
    });

    expect(outcome).toEqual({ status: "finished", saved: true, refunded: false });
    const lastText = emitted.findLastIndex((chunk) => chunk.includes('"type":"text-delta"'));
    expect(lastText).toBeGreaterThan(0);
    // Every word went out before the database was touched at all.
    expect(seen.at).toBeGreaterThan(lastText);

    const prompt = JSON.stringify(model.doStreamCalls[0]?.prompt);
    expect(prompt).toContain("Answer in one sentence.");
    expect(prompt).toContain("Where should I go in spring?");
    expect(prompt).toContain("And the weather there?");

    const [saved] = await sql<{ parts: Array<{ type: string; text?: string }> }[]>`
      select parts from message where id = ${job.assistantMessageId} and chat_id = ${job.chatId} and role = 'assistant'`;
    expect(saved?.parts.filter((part) => part.type === "text").map((part) => part.text)).toEqual(["Lisbon in May."]);
  });

  it("reports a chat deleted while its reply ran, saving nothing and giving nothing back", async () => {
    const { job, userMessageId } = await turn("Deleted meanwhile");
    testModel.install(scriptedModel([textTurn(["Too ", "late."])]));
    await sql`delete from chat where id = ${job.chatId}`;
    const emitted: string[] = [];

    const outcome = await generateReply({
      ctx: {
        db: handle.db,
        config: loadConfig(env),
        log: createLogger({}, "error"),
        models: createModelRegistry({ config: loadConfig(env), env, override: installedModel }),
      },
      job,
      input: {
        history: [{ id: userMessageId, role: "user", parts: [{ type: "text", text: "Hi" }] }],
        customInstructions: null,
      },
      signal: new AbortController().signal,
      emit: (chunk) => {
        emitted.push(chunk);
      },
    });

    expect(outcome).toEqual({ status: "finished", saved: false, refunded: false });
    expect(emitted.some((chunk) => chunk.includes('"type":"error"'))).toBe(false);
    const rows = await sql<
      { count: number }[]
    >`select count(*)::int as count from message where chat_id = ${job.chatId}`;
    expect(rows[0]?.count).toBe(0);
  });
});
