import { env } from "cloudflare:workers";
import { generateText } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import {
  availableModels,
  defaultModel,
  isModelAllowed,
  listModelsFor,
  models,
  resolveModel,
  selectModel,
} from "../../src/ai/models";
import { buildTools, toolsByMode } from "../../src/ai/tools";
import { AppError } from "../../src/lib/errors";
import { clientOver, json } from "./fake-fetch";

const offline = { AI_PROVIDER: "offline" as const };
const workersAi = { AI_PROVIDER: "workers-ai" as const };
const compatible = {
  AI_PROVIDER: "openai-compatible" as const,
  OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:11434/v1",
  OPENAI_COMPATIBLE_API_KEY: "sk-local",
};

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("model registry", () => {
  it("has unique ids, one free default per provider and a Pro-only model per provider", () => {
    expect(new Set(models.map((entry) => entry.id)).size).toBe(models.length);
    for (const config of [offline, workersAi, compatible]) {
      const entries = availableModels(config);
      expect(entries.filter((entry) => entry.default)).toHaveLength(1);
      const fallback = defaultModel(config);
      expect(fallback.plans).toContain("free");
      expect(fallback.modes).toEqual(expect.arrayContaining(["chat", "extreme"]));
      expect(entries.some((entry) => entry.plans.length === 1 && entry.plans[0] === "pro")).toBe(true);
      expect(entries.every((entry) => entry.provider === config.AI_PROVIDER)).toBe(true);
    }
  });

  it("lists per plan and refuses Pro-only models to free users", () => {
    const free = listModelsFor("free", workersAi).map((entry) => entry.id);
    const pro = listModelsFor("pro", workersAi).map((entry) => entry.id);
    expect(free).toContain("mylo-standard");
    expect(free).not.toContain("mylo-pro");
    expect(pro).toContain("mylo-pro");

    const proOnly = models.find((entry) => entry.id === "mylo-pro");
    const scout = models.find((entry) => entry.id === "mylo-scout");
    if (!proOnly || !scout) throw new Error("registry changed");
    expect(isModelAllowed(proOnly, "free", "chat")).toBe(false);
    expect(isModelAllowed(proOnly, "pro", "chat")).toBe(true);
    expect(isModelAllowed(scout, "free", "extreme")).toBe(false);

    expect(selectModel({ config: offline, plan: "free", mode: "chat" }).id).toBe("offline");
    expect(
      thrown(() => selectModel({ config: offline, modelId: "offline-pro", plan: "free", mode: "chat" })).code,
    ).toBe("PLAN_REQUIRED");
    expect(selectModel({ config: offline, modelId: "offline-pro", plan: "pro", mode: "extreme" }).id).toBe(
      "offline-pro",
    );
    expect(thrown(() => selectModel({ config: offline, modelId: "mylo-pro", plan: "pro", mode: "chat" })).code).toBe(
      "VALIDATION_ERROR",
    );
    expect(
      thrown(() => selectModel({ config: workersAi, modelId: "mylo-scout", plan: "pro", mode: "extreme" })).code,
    ).toBe("VALIDATION_ERROR");
  });

  it("resolves each provider, and returns the injected model for tests", () => {
    const mock = new MockLanguageModelV4();
    expect(resolveModel({ config: offline, env, override: mock })).toBe(mock);
    const offlineModel = resolveModel({ config: offline, env });
    expect(typeof offlineModel === "object" && offlineModel.provider).toBe("mylo.offline");
    const workers = resolveModel({ config: workersAi, env, modelId: "mylo-pro" });
    expect(typeof workers === "object" && workers.modelId).toBe("@cf/moonshotai/kimi-k2.6");
    expect(thrown(() => resolveModel({ config: workersAi, env, modelId: "nope" })).code).toBe("VALIDATION_ERROR");
  });

  it("sends OpenAI-compatible calls through the trusted client with usage", async () => {
    const fake = clientOver(() =>
      json({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1_700_000_000,
        model: "gpt-4o-mini",
        choices: [{ index: 0, message: { role: "assistant", content: "Bonjour" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
      }),
    );
    const model = resolveModel({ config: compatible, env, http: fake.http });
    const result = await generateText({ model, prompt: "Say hello in French" });
    expect(result.text).toBe("Bonjour");
    expect(result.totalUsage.inputTokens).toBe(11);
    expect(fake.calls[0]?.url.href).toBe("http://127.0.0.1:11434/v1/chat/completions");
    expect(fake.calls[0]?.headers.get("authorization")).toBe("Bearer sk-local");
    expect(JSON.parse(fake.calls[0]?.body ?? "{}").model).toBe("gpt-4o-mini");
  });

  it("asks the OpenAI-compatible endpoint for the model names it is configured with", async () => {
    const fake = clientOver(() =>
      json({
        id: "chatcmpl-2",
        object: "chat.completion",
        created: 1_700_000_000,
        model: "served",
        choices: [{ index: 0, message: { role: "assistant", content: "Olá" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
      }),
    );
    const named = {
      ...compatible,
      OPENAI_COMPATIBLE_MODEL: "llama-3.1-8b-instant",
      OPENAI_COMPATIBLE_PRO_MODEL: "qwen/qwen3-235b",
    };
    for (const [modelId, expected] of [
      [undefined, "llama-3.1-8b-instant"],
      ["compatible-standard", "llama-3.1-8b-instant"],
      ["compatible-pro", "qwen/qwen3-235b"],
    ] as const) {
      const model = resolveModel({ config: named, env, modelId, http: fake.http });
      await generateText({ model, prompt: "Say hello in Portuguese" });
      expect(JSON.parse(fake.calls.at(-1)?.body ?? "{}").model).toBe(expected);
    }
    // Unset names keep the registry's.
    await generateText({
      model: resolveModel({ config: compatible, env, modelId: "compatible-pro", http: fake.http }),
      prompt: "Hi",
    });
    expect(JSON.parse(fake.calls.at(-1)?.body ?? "{}").model).toBe("gpt-4o");
  });
});

describe("tools on and off", () => {
  const http = clientOver(() => new Response(null, { status: 599 })).http;

  it("switches web search off with no provider and on with SEARXNG_URL", () => {
    expect(Object.keys(buildTools({ config: {}, mode: "chat", fetch: http }))).toEqual([
      "weather",
      "currency",
      "places",
      "localTime",
      "travelSafety",
      "destinationGuide",
      "publicHolidays",
    ]);
    expect(Object.keys(buildTools({ config: {}, mode: "extreme", fetch: http }))).not.toContain("webSearch");
    expect(
      Object.keys(buildTools({ config: { SEARXNG_URL: "http://searx:8080" }, mode: "chat", fetch: http })),
    ).toContain("webSearch");
    const everyKey = { BRAVE_SEARCH_API_KEY: "k", DUFFEL_ACCESS_TOKEN: "t", AERODATABOX_API_KEY: "a" };
    expect(Object.keys(buildTools({ config: everyKey, mode: "extreme", fetch: http }))).toEqual(toolsByMode.extreme);
  });

  it("offers page reading only in extreme mode", () => {
    expect(Object.keys(buildTools({ config: {}, mode: "chat", fetch: http }))).not.toContain("readPage");
    expect(Object.keys(buildTools({ config: {}, mode: "extreme", fetch: http }))).toContain("readPage");
  });
});
