import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { buildGenerationOptions } from "../../src/ai/generation";
import { offlineChunkDelayMs, resolveModel } from "../../src/ai/models";
import { createOfflineModel, findPlace, OfflineLanguageModel, offlineTravelTips } from "../../src/ai/offline-model";
import { buildSystemPrompt } from "../../src/ai/prompts";
import { buildTools } from "../../src/ai/tools";
import { ConfigError, loadConfig } from "../../src/env";
import { clientOver, json } from "./fake-fetch";

const openMeteo = clientOver((call) => {
  if (call.url.hostname === "geocoding-api.open-meteo.com") {
    return json({
      results: [{ name: "Lisbon", country: "Portugal", latitude: 38.72, longitude: -9.13, timezone: "Europe/Lisbon" }],
    });
  }
  if (call.url.hostname === "api.open-meteo.com") {
    return json({
      timezone: "Europe/Lisbon",
      current: { time: "2026-04-03T10:00", temperature_2m: 21.5, weather_code: 0 },
      daily: { time: ["2026-04-03"], weather_code: [0], temperature_2m_max: [23], temperature_2m_min: [13] },
    });
  }
  return new Response("unexpected", { status: 599 });
});

function chatOptions(
  text: string,
  tools = buildTools({ config: {}, mode: "chat", fetch: openMeteo.http }),
  model = createOfflineModel(),
) {
  return buildGenerationOptions({
    mode: "chat",
    model,
    tools,
    system: buildSystemPrompt({ mode: "chat", now: new Date(), toolsOn: Object.keys(tools) }),
    messages: [{ role: "user", content: text }],
    http: openMeteo.http,
  });
}

describe("offline model", () => {
  it("streams a weather tool call, the tool result and a text summary with usage", async () => {
    const result = streamText(chatOptions("What's the weather like in Lisbon this weekend?"));
    const parts: Array<{ type: string } & Record<string, unknown>> = [];
    for await (const part of result.stream) parts.push(part as { type: string } & Record<string, unknown>);
    const types = parts.map((part) => part.type);

    const call = parts.find((part) => part.type === "tool-call");
    expect(call).toMatchObject({ toolName: "weather", input: { location: "Lisbon", days: 3 } });
    const toolResult = parts.find((part) => part.type === "tool-result");
    expect(toolResult).toMatchObject({
      toolName: "weather",
      output: { location: { name: "Lisbon", country: "Portugal" }, current: { temperatureC: 21.5 } },
    });
    const deltas = parts.filter((part) => part.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(2);
    expect(types.indexOf("tool-call")).toBeLessThan(types.indexOf("tool-result"));
    expect(types.indexOf("tool-result")).toBeLessThan(types.indexOf("text-delta"));
    expect(types).not.toContain("error");

    const text = await result.text;
    expect(text).toMatch(/offline/i);
    expect(text).toContain("Lisbon, Portugal: clear sky, 21.5 °C");
    const usage = await result.totalUsage;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe((usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
    expect((await result.steps).length).toBe(2);
  });

  it("answers in plain text when no place is named or the weather tool is off", async () => {
    const plain = await generateText(chatOptions("hello there, what can you do?"));
    expect(plain.text).toMatch(/Mylo is running offline/);
    expect(plain.toolCalls).toHaveLength(0);
    expect(plain.totalUsage.outputTokens).toBeGreaterThan(0);

    const noTools = await generateText(chatOptions("Weather in Lisbon?", {}));
    expect(noTools.toolCalls).toHaveLength(0);
    expect(noTools.text).toMatch(/offline/);
  });

  it("summarises a tool error instead of failing", async () => {
    const failing = clientOver(() => new Response("down", { status: 500 }));
    const tools = buildTools({ config: {}, mode: "chat", fetch: failing.http });
    const result = await generateText(chatOptions("Is it raining in Kyoto?", tools));
    expect(result.steps[0]?.toolResults[0]?.output).toEqual({
      error: "geocoding-api.open-meteo.com answered with status 500",
    });
    expect(result.text).toMatch(/could not help/);
  });

  it("finds places with a simple heuristic", () => {
    expect(findPlace("three quiet days in kyoto in April")).toBe("Kyoto");
    expect(findPlace("Flights to Ponta Delgada next week")).toBe("Ponta Delgada");
    expect(findPlace("What should I pack for April?")).toBeUndefined();
    expect(findPlace("hello")).toBeUndefined();
  });

  it("streams a long reply slowly when a chunk delay is set, and a short one at once without", async () => {
    const delayMs = 10;
    const started = Date.now();
    const slow = streamText(
      chatOptions("hello there, what can you do?", {}, createOfflineModel({ chunkDelayMs: delayMs })),
    );
    const deltas: string[] = [];
    for await (const part of slow.stream) if (part.type === "text-delta") deltas.push(part.text);
    const elapsed = Date.now() - started;
    expect(deltas.length).toBeGreaterThanOrEqual(40);
    expect(elapsed).toBeGreaterThanOrEqual(deltas.length * delayMs * 0.8);
    const text = deltas.join("");
    expect(text).toMatch(/^Mylo is running offline/);
    expect(text).toContain(offlineTravelTips);
    expect(offlineTravelTips).toMatch(/offline placeholder text/);

    const quick = streamText(chatOptions("hello there, what can you do?", {}));
    const quickDeltas: string[] = [];
    for await (const part of quick.stream) if (part.type === "text-delta") quickDeltas.push(part.text);
    expect(quickDeltas.length).toBeLessThan(40);
    expect(quickDeltas.join("")).not.toContain("placeholder");
  });

  it("keeps the tool call and its summary in slow mode, with the tips after the summary", async () => {
    const result = streamText(chatOptions("Weather in Lisbon?", undefined, createOfflineModel({ chunkDelayMs: 1 })));
    const text = await result.text;
    expect((await result.steps).length).toBe(2);
    expect(text).toContain("Lisbon, Portugal: clear sky, 21.5 °C");
    expect(text.indexOf("Lisbon, Portugal")).toBeLessThan(text.indexOf(offlineTravelTips));
  });

  it("takes the delay from OFFLINE_MODEL_CHUNK_DELAY_MS outside production only", () => {
    expect(loadConfig({ APP_ENV: "test", OFFLINE_MODEL_CHUNK_DELAY_MS: "150" }).OFFLINE_MODEL_CHUNK_DELAY_MS).toBe(150);
    expect(loadConfig({ APP_ENV: "test" }).OFFLINE_MODEL_CHUNK_DELAY_MS).toBeUndefined();
    for (const bad of ["-1", "1.5", "soon"]) {
      expect(() => loadConfig({ APP_ENV: "test", OFFLINE_MODEL_CHUNK_DELAY_MS: bad })).toThrow(ConfigError);
    }

    const local = { AI_PROVIDER: "offline", APP_ENV: "development", OFFLINE_MODEL_CHUNK_DELAY_MS: 150 } as const;
    expect(offlineChunkDelayMs(local)).toBe(150);
    expect(offlineChunkDelayMs({ ...local, APP_ENV: "production" })).toBe(0);
    expect(offlineChunkDelayMs({ AI_PROVIDER: "offline", APP_ENV: "development" })).toBe(0);
  });

  it("is created by the model registry with the configured delay, and without it in production", async () => {
    const local = { AI_PROVIDER: "offline", APP_ENV: "development", OFFLINE_MODEL_CHUNK_DELAY_MS: 1 } as const;
    const slow = resolveModel({ config: local, env: {} });
    const production = resolveModel({ config: { ...local, APP_ENV: "production" }, env: {} });
    expect(slow).toBeInstanceOf(OfflineLanguageModel);
    expect(production).toBeInstanceOf(OfflineLanguageModel);
    // The long reply is what a configured delay turns on.
    expect((await generateText(chatOptions("hello", {}, slow as OfflineLanguageModel))).text).toContain(
      offlineTravelTips,
    );
    expect((await generateText(chatOptions("hello", {}, production as OfflineLanguageModel))).text).not.toContain(
      offlineTravelTips,
    );
  });
});
