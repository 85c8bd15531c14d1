import { ApiError, readApiError } from "./api-error";
import type {
  AppConfig,
  BillingProvider,
  Chat,
  CustomInstructions,
  Me,
  ModelsResponse,
  Page,
  StoredMessage,
  Visibility,
} from "./types";

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever the API answers 401 (an expired or signed-out session). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 is expected (public reads): do not send the user to sign in. */
  allowAnonymous?: boolean;
}

/**
 * The one fetch wrapper: same-origin cookies, JSON in and out, and every error envelope turned into
 * an ApiError. Nothing else in the page calls `fetch` for the API.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      credentials: "same-origin",
      headers: options.body === undefined ? undefined : { "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw ApiError.offline(error);
  }
  if (!response.ok) {
    const error = await readApiError(response);
    if (response.status === 401 && !options.allowAnonymous) for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const query = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
};

const enc = encodeURIComponent;

/** Every API path the page uses, built in this one place. */
export const paths = {
  chat: "/api/chat",
  chatStream: (id: string) => `/api/chat/${enc(id)}/stream`,
  export: "/api/me/export",
};

export const api = {
  config: () => request<AppConfig>("/api/config", { allowAnonymous: true }),
  me: () => request<Me>("/api/me"),
  /** A session older than a few minutes must confirm with the password (403 REAUTHENTICATION_REQUIRED). */
  deleteMe: (password?: string) =>
    request<void>("/api/me", { method: "DELETE", body: password === undefined ? undefined : { password } }),
  exportMe: () => request<Record<string, unknown>>(paths.export),
  instructions: () => request<{ customInstructions: CustomInstructions | null }>("/api/me/custom-instructions"),
  saveInstructions: (content: string) =>
    request<{ customInstructions: CustomInstructions | null }>("/api/me/custom-instructions", {
      method: "PUT",
      body: { content },
    }),
  clearInstructions: () => request<void>("/api/me/custom-instructions", { method: "DELETE" }),
  models: () => request<ModelsResponse>("/api/models"),

  chats: (cursor?: string | null, limit = 30) => request<Page<Chat>>(`/api/chats${query({ limit, cursor })}`),
  chat: (id: string) => request<Chat>(`/api/chats/${enc(id)}`, { allowAnonymous: true }),
  messages: (id: string, cursor?: string | null, limit = 100) =>
    request<Page<StoredMessage>>(`/api/chats/${enc(id)}/messages${query({ limit, cursor })}`, {
      allowAnonymous: true,
    }),
  updateChat: (id: string, patch: { title?: string; visibility?: Visibility }) =>
    request<Chat>(`/api/chats/${enc(id)}`, { method: "PATCH", body: patch }),
  deleteChat: (id: string) => request<void>(`/api/chats/${enc(id)}`, { method: "DELETE" }),
  stopChat: (id: string) => request<{ stopped: boolean }>(`/api/chat/${enc(id)}/stop`, { method: "POST" }),

  lookouts: <T>(cursor?: string | null) => request<Page<T>>(`/api/lookouts${query({ cursor, limit: 50 })}`),
  lookout: <T>(id: string) => request<T>(`/api/lookouts/${enc(id)}`),
  createLookout: <T>(input: unknown) => request<T>("/api/lookouts", { method: "POST", body: input }),
  updateLookout: <T>(id: string, input: unknown) =>
    request<T>(`/api/lookouts/${enc(id)}`, { method: "PATCH", body: input }),
  deleteLookout: (id: string) => request<void>(`/api/lookouts/${enc(id)}`, { method: "DELETE" }),
  lookoutAction: <T>(id: string, action: "pause" | "resume" | "run") =>
    request<T>(`/api/lookouts/${enc(id)}/${action}`, { method: "POST" }),
  lookoutRuns: <T>(id: string) => request<T>(`/api/lookouts/${enc(id)}/runs`),

  billing: <T>() => request<T>("/api/billing"),
  checkout: (provider: BillingProvider) =>
    request<{ id: string; provider: BillingProvider; url: string; expiresAt: string | null }>("/api/billing/checkout", {
      method: "POST",
      body: { provider },
    }),
  portal: (provider: BillingProvider) =>
    request<{ url: string }>("/api/billing/portal", { method: "POST", body: { provider } }),
};
