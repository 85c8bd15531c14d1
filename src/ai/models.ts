import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import type { Config } from "../env";
import { AppError } from "../lib/errors";
import { createHttpClient, type HttpClient, providerFetch } from "../outbound/safe-fetch";
import type { PlanTier } from "../services/billing/plan";
import type { ChatMode } from "./modes";
import { createOfflineModel } from "./offline-model";

export type ModelProvider = "workers-ai" | "openai-compatible" | "offline";

export interface ModelEntry {
  id: string;
  label: string;
  provider: ModelProvider;
  providerModel: string;
  /** The setting that names the provider's model instead of `providerModel`, when it is set. */
  providerModelSetting?: "OPENAI_COMPATIBLE_MODEL" | "OPENAI_COMPATIBLE_PRO_MODEL";
  plans: readonly PlanTier[];
  modes: readonly ChatMode[];
  /** The model used when the client names none; one per provider, open to every plan. */
  default?: true;
}

/**
 * The one model registry. Which entries are served depends on `AI_PROVIDER`: only the entries of the
 * configured provider are offered. Each provider has exactly one default (free) and at least one
 * Pro-only entry, so plans behave the same locally (offline) as in production.
 */
export const models: readonly ModelEntry[] = [
  {
    id: "mylo-standard",
    label: "Mylo Standard (Llama 3.3 70B)",
    provider: "workers-ai",
    providerModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    plans: ["free", "pro"],
    modes: ["chat", "extreme"],
    default: true,
  },
  {
    id: "mylo-scout",
    label: "Mylo Scout (Llama 4 Scout)",
    provider: "workers-ai",
    providerModel: "@cf/meta/llama-4-scout-17b-16e-instruct",
    plans: ["free", "pro"],
    modes: ["chat"],
  },
  {
    id: "mylo-pro",
    label: "Mylo Pro (Kimi K2.6)",
    provider: "workers-ai",
    providerModel: "@cf/moonshotai/kimi-k2.6",
    plans: ["pro"],
    modes: ["chat", "extreme"],
  },
  {
    id: "compatible-standard",
    label: "Standard (OpenAI-compatible)",
    provider: "openai-compatible",
    providerModel: "gpt-4o-mini",
    providerModelSetting: "OPENAI_COMPATIBLE_MODEL",
    plans: ["free", "pro"],
    modes: ["chat", "extreme"],
    default: true,
  },
  {
    id: "compatible-pro",
    label: "Pro (OpenAI-compatible)",
    provider: "openai-compatible",
    providerModel: "gpt-4o",
    providerModelSetting: "OPENAI_COMPATIBLE_PRO_MODEL",
    plans: ["pro"],
    modes: ["chat", "extreme"],
  },
  {
    id: "offline",
    label: "Mylo Offline",
    provider: "offline",
    providerModel: "mylo-offline",
    plans: ["free", "pro"],
    modes: ["chat", "extreme"],
    default: true,
  },
  {
    id: "offline-pro",
    label: "Mylo Offline Pro",
    provider: "offline",
    providerModel: "mylo-offline-pro",
    plans: ["pro"],
    modes: ["chat", "extreme"],
  },
];

export type ProviderConfig = Partial<
  Pick<
    Config,
    | "AI_PROVIDER"
    | "OPENAI_COMPATIBLE_BASE_URL"
    | "OPENAI_COMPATIBLE_API_KEY"
    | "OPENAI_COMPATIBLE_MODEL"
    | "OPENAI_COMPATIBLE_PRO_MODEL"
    | "APP_ENV"
    | "OFFLINE_MODEL_CHUNK_DELAY_MS"
  >
>;

/** The offline model's pause between text chunks: only outside production, where it is a local stand-in. */
export function offlineChunkDelayMs(config: ProviderConfig): number {
  if (config.APP_ENV === "production") return 0;
  return config.OFFLINE_MODEL_CHUNK_DELAY_MS ?? 0;
}

/** The provider's name for the entry's model under this configuration. */
export function providerModelOf(entry: ModelEntry, config: ProviderConfig): string {
  return (entry.providerModelSetting && config[entry.providerModelSetting]) || entry.providerModel;
}

export function configuredProvider(config: ProviderConfig): ModelProvider {
  return config.AI_PROVIDER ?? "offline";
}

/** The entries the configured provider serves. */
export function availableModels(config: ProviderConfig): ModelEntry[] {
  const provider = configuredProvider(config);
  return models.filter((entry) => entry.provider === provider);
}

export function findModel(config: ProviderConfig, id: string): ModelEntry | undefined {
  return availableModels(config).find((entry) => entry.id === id);
}

export function defaultModel(config: ProviderConfig): ModelEntry {
  const entry = availableModels(config).find((candidate) => candidate.default);
  if (!entry) throw new AppError("INTERNAL_ERROR", `No default model is registered for ${configuredProvider(config)}`);
  return entry;
}

/** The models a plan may use under this configuration (all modes; `modes` tells which each supports). */
export function listModelsFor(plan: PlanTier, config: ProviderConfig): ModelEntry[] {
  return availableModels(config).filter((entry) => entry.plans.includes(plan));
}

/**
 * Picks the model for a request and enforces the registry: unknown ids are a validation error,
 * a model outside the user's plan is PLAN_REQUIRED, a mode the model does not support is a
 * validation error.
 */
export function selectModel(input: {
  config: ProviderConfig;
  modelId?: string | null;
  plan: PlanTier;
  mode: ChatMode;
}): ModelEntry {
  const { config, modelId, plan, mode } = input;
  const entry = modelId ? findModel(config, modelId) : defaultModel(config);
  if (!entry) {
    throw new AppError("VALIDATION_ERROR", `Unknown model: ${modelId}`, {
      details: { model: modelId, available: availableModels(config).map((candidate) => candidate.id) },
    });
  }
  if (!entry.plans.includes(plan)) {
    throw new AppError("PLAN_REQUIRED", `The model ${entry.id} needs a Pro plan`, { details: { model: entry.id } });
  }
  if (!entry.modes.includes(mode)) {
    throw new AppError("VALIDATION_ERROR", `The model ${entry.id} does not support ${mode} mode`, {
      details: { model: entry.id, mode },
    });
  }
  return entry;
}

export interface ResolveModelInput {
  config: ProviderConfig;
  env: { AI?: Ai };
  /** A registry id; the provider's default when omitted. */
  modelId?: string | null;
  /** The outbound client for OpenAI-compatible endpoints (trusted, long timeout). */
  http?: HttpClient;
  /** Tests inject a mock model here; it is returned as is. */
  override?: LanguageModel;
}

/** The AI SDK model for a registry id under the configured provider. */
export function resolveModel({ config, env, modelId, http, override }: ResolveModelInput): LanguageModel {
  if (override) return override;
  const entry = modelId ? findModel(config, modelId) : defaultModel(config);
  if (!entry) throw new AppError("VALIDATION_ERROR", `Unknown model: ${modelId}`);
  switch (entry.provider) {
    case "workers-ai": {
      if (!env.AI) throw new AppError("SERVICE_UNAVAILABLE", "The Workers AI binding is not configured");
      return createWorkersAI({ binding: env.AI })(entry.providerModel);
    }
    case "openai-compatible": {
      if (!config.OPENAI_COMPATIBLE_BASE_URL) {
        throw new AppError("SERVICE_UNAVAILABLE", "OPENAI_COMPATIBLE_BASE_URL is not configured");
      }
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: config.OPENAI_COMPATIBLE_BASE_URL,
        apiKey: config.OPENAI_COMPATIBLE_API_KEY,
        includeUsage: true,
        fetch: providerFetch(http ?? createHttpClient()),
      }).chatModel(providerModelOf(entry, config));
    }
    case "offline":
      return createOfflineModel({ modelId: entry.providerModel, chunkDelayMs: offlineChunkDelayMs(config) });
  }
}
