import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { fakeFetch } from "../ai/fake-fetch";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { testSql } from "../support/db";
import { call, expectEnvelope } from "../support/http";
import { scriptedModel, setModelOverride, textTurn, toolTurn } from "../support/models";

const sql = testSql();
afterAll(() => sql.end());
afterEach(() => {
  setModelOverride(undefined);
  vi.restoreAllMocks();
});

let user: SignedInUser;
beforeAll(async () => {
  user = await signUpVerified("Attacher");
});

const MiB = 1024 * 1024;
const FILES = "https://files.example.net";

interface Attachment {
  url: string;
  mediaType: string;
  filename: string;
}

function post(chatId: string, text: string, attachments: Attachment[] = []) {
  return call("/api/chat", {
    method: "POST",
    headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
    body: JSON.stringify({
      id: chatId,
      messages: [
        {
          id: crypto.randomUUID(),
          role: "user",
          parts: [{ type: "text", text }, ...attachments.map((file) => ({ type: "file", ...file }))],
        },
      ],
    }),
  });
}

/**
 * Attachment hosts are third parties: the platform `fetch` is replaced for them only, and every
 * request to them is recorded.
 */
function serveFiles(answer: (url: URL) => Response) {
  const original = globalThis.fetch;
  const fake = fakeFetch((request) => answer(request.url));
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return url.origin === FILES ? fake.fetch(input, init) : original(input, init);
  });
  return {
    downloads: (path: string) => fake.calls.filter((request) => request.url.pathname === path).length,
    total: () => fake.calls.length,
  };
}

const bytes = (size: number, fill = 7) => new Uint8Array(size).fill(fill);

type PromptPart = Extract<LanguageModelV4Prompt[number], { role: "user" }>["content"][number];

/** The user messages' parts of one model call, with file data summarised by its size. */
function userParts(prompt: LanguageModelV4Prompt | undefined) {
  const summarise = (part: PromptPart) => {
    if (part.type === "text") return { type: "text", text: part.text };
    const data = part.data as unknown;
    const inline =
      data instanceof Uint8Array
        ? data
        : typeof data === "object" && data !== null && (data as { type?: string }).type === "data"
          ? (data as { data: unknown }).data
          : data;
    const size =
      inline instanceof Uint8Array ? inline.byteLength : typeof inline === "string" ? `base64:${inline.length}` : null;
    return { type: "file", filename: part.filename, mediaType: part.mediaType, size };
  };
  return (prompt ?? []).filter((message) => message.role === "user").map((message) => message.content.map(summarise));
}

async function usedToday(userId: string): Promise<number> {
  const [row] =
    await sql`select message_count from message_usage where user_id = ${userId} and date = date_trunc('day', now() at time zone 'utc') at time zone 'utc'`;
  return row?.message_count ?? 0;
}

const replyDone = (chatId: string) => env.CHAT_STREAM.getByName(chatId).waitForReply();

describe("attachments", () => {
  it("downloads the new message's attachments once per reply, however many steps it takes", async () => {
    const files = serveFiles((url) => new Response(bytes(url.pathname === "/map.png" ? 2048 : 512)));
    const model = scriptedModel([
      toolTurn("localTime", { timeZone: "Asia/Tokyo" }),
      toolTurn("localTime", { timeZone: "Europe/Lisbon" }),
      textTurn(["Both read."]),
    ]);
    setModelOverride(model);
    const chatId = crypto.randomUUID();
    const response = await post(chatId, "Here is my plan", [
      { url: `${FILES}/map.png`, mediaType: "image/png", filename: "map.png" },
      { url: `${FILES}/plan.pdf`, mediaType: "application/pdf", filename: "plan.pdf" },
    ]);
    expect(response.status).toBe(200);
    await response.text();
    await replyDone(chatId);

    expect(model.doStreamCalls).toHaveLength(3);
    expect(files.downloads("/map.png")).toBe(1);
    expect(files.downloads("/plan.pdf")).toBe(1);
    for (const step of model.doStreamCalls) {
      expect(userParts(step.prompt)).toEqual([
        [
          { type: "text", text: "Here is my plan" },
          { type: "file", filename: "map.png", mediaType: "image/png", size: 2048 },
          { type: "file", filename: "plan.pdf", mediaType: "application/pdf", size: 512 },
        ],
      ]);
    }
    const roles = await sql`select role from message where chat_id = ${chatId} order by created_at, id`;
    expect(roles.map((row) => row.role)).toEqual(["user", "assistant"]);
  });

  it("names an earlier message's attachments instead of downloading them again", async () => {
    const files = serveFiles(() => new Response(bytes(300)));
    setModelOverride(scriptedModel([textTurn(["Got the ticket."])]));
    const chatId = crypto.randomUUID();
    await (
      await post(chatId, "My ticket", [
        { url: `${FILES}/ticket.pdf`, mediaType: "application/pdf", filename: "ticket.pdf" },
      ])
    ).text();
    await replyDone(chatId);
    expect(files.downloads("/ticket.pdf")).toBe(1);

    const model = scriptedModel([textTurn(["And the hotel."])]);
    setModelOverride(model);
    await (
      await post(chatId, "And my hotel", [
        { url: `${FILES}/hotel.jpg`, mediaType: "image/jpeg", filename: "hotel.jpg" },
      ])
    ).text();
    await replyDone(chatId);

    expect(files.downloads("/ticket.pdf")).toBe(1);
    expect(files.downloads("/hotel.jpg")).toBe(1);
    const [earlier, newest] = userParts(model.doStreamCalls[0]?.prompt);
    expect(earlier?.[0]).toEqual({ type: "text", text: "My ticket" });
    expect(earlier?.slice(1)).toEqual([{ type: "text", text: expect.stringContaining('"ticket.pdf"') }]);
    expect(newest).toEqual([
      { type: "text", text: "And my hotel" },
      { type: "file", filename: "hotel.jpg", mediaType: "image/jpeg", size: 300 },
    ]);
  });

  it("caps the attachment bytes of one reply; what does not fit becomes a note", async () => {
    const files = serveFiles(() => new Response(bytes(9 * MiB)));
    const model = scriptedModel([textTurn(["Two of three."])]);
    setModelOverride(model);
    const chatId = crypto.randomUUID();
    const scans = ["a", "b", "c"].map((name) => ({
      url: `${FILES}/${name}.png`,
      mediaType: "image/png",
      filename: `${name}.png`,
    }));
    await (await post(chatId, "Three scans", scans)).text();
    await replyDone(chatId);

    expect(await sql`select 1 from message where chat_id = ${chatId} and role = 'assistant'`).toHaveLength(1);
    // The limit (20 MiB by default) leaves 2 MiB for the third file, which stops being read past that.
    expect(files.total()).toBe(3);
    const [parts] = userParts(model.doStreamCalls[0]?.prompt);
    expect(parts?.slice(0, 3)).toEqual([
      { type: "text", text: "Three scans" },
      { type: "file", filename: "a.png", mediaType: "image/png", size: 9 * MiB },
      { type: "file", filename: "b.png", mediaType: "image/png", size: 9 * MiB },
    ]);
    expect(parts?.[3]).toEqual({ type: "text", text: expect.stringMatching(/"c\.png".*limit/) });
  });

  it("turns a download that fails into a note to the model, and the reply goes on", async () => {
    serveFiles((url) =>
      url.pathname === "/gone.pdf" ? new Response("missing", { status: 404 }) : new Response(bytes(100)),
    );
    const model = scriptedModel([textTurn(["I could read one of them."])]);
    setModelOverride(model);
    const chatId = crypto.randomUUID();
    const text = await (
      await post(chatId, "Two files", [
        { url: `${FILES}/gone.pdf`, mediaType: "application/pdf", filename: "gone.pdf" },
        { url: `${FILES}/ok.pdf`, mediaType: "application/pdf", filename: "ok.pdf" },
      ])
    ).text();
    await replyDone(chatId);

    expect(text).not.toContain('"type":"error"');
    const [parts] = userParts(model.doStreamCalls[0]?.prompt);
    expect(parts).toEqual([
      { type: "text", text: "Two files" },
      { type: "text", text: expect.stringMatching(/"gone\.pdf".*could not be read.*404/) },
      { type: "file", filename: "ok.pdf", mediaType: "application/pdf", size: 100 },
    ]);
    const [saved] = await sql`select parts from message where chat_id = ${chatId} and role = 'assistant'`;
    expect(JSON.stringify(saved?.parts)).toContain("I could read one of them.");
  });

  it("refuses attachment URLs that are not public at POST /api/chat, saving and counting nothing", async () => {
    const files = serveFiles(() => new Response(bytes(10)));
    const refused = [
      "https://127.0.0.1/poison.png",
      "https://[::1]/a.png",
      "https://0x7f000001/a.png",
      "https://%31%32%37.0.0.1/a.png",
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.8/a.png",
      "https://printer.local/a.png",
      "https://localhost:8787/api/me/export",
      "https://files.example.net:8443/a.png",
    ];
    const used = await usedToday(user.id);
    for (const url of refused) {
      const chatId = crypto.randomUUID();
      const body = await expectEnvelope(
        await post(chatId, "Look at this", [
          { url: `${FILES}/fine.png`, mediaType: "image/png", filename: "fine.png" },
          { url, mediaType: "image/png", filename: "bad.png" },
        ]),
        400,
        "VALIDATION_ERROR",
      );
      expect(body.error.details).toEqual([
        { path: ["messages", 0, "parts", 2, "url"], message: expect.stringMatching(/public/) },
      ]);
      expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);
    }
    expect(await usedToday(user.id)).toBe(used);
    expect(files.total()).toBe(0);
  });

  it("refuses an attachment on the app's own host", async () => {
    const chatId = crypto.randomUUID();
    const overridden = {
      ...env,
      BETTER_AUTH_URL: "https://mylo.example.com",
      TRUSTED_ORIGINS: "https://mylo.example.com",
    };
    const ctx = createExecutionContext();
    const response = await createApp().fetch(
      new Request("https://mylo.example.com/api/chat", {
        method: "POST",
        headers: { authorization: `Bearer ${user.bearer}`, "content-type": "application/json" },
        body: JSON.stringify({
          id: chatId,
          messages: [
            {
              id: crypto.randomUUID(),
              role: "user",
              parts: [
                { type: "text", text: "Read my export" },
                { type: "file", url: "https://mylo.example.com/api/me/export", mediaType: "application/json" },
              ],
            },
          ],
        }),
      }),
      overridden,
      ctx,
    );
    await expectEnvelope(response, 400, "VALIDATION_ERROR");
    await waitOnExecutionContext(ctx);
    expect(await sql`select 1 from chat where id = ${chatId}`).toHaveLength(0);
  });
});
