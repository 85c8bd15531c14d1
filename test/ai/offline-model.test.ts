import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { buildGenerationOptions } from "../../src/ai/generation";
import { createOfflineModel, findPlace } from "../../src/ai/offline-model";
import { buildSystemPrompt } from "../../src/ai/prompts";
import { buildTools } from "../../src/ai/tools";
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

function chatOptions(text: string, tools = buildTools({ config: {}, mode: "chat", fetch: openMeteo.http })) {
  return buildGenerationOptions({
    mode: "chat",
    model: createOfflineModel(),
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
});
