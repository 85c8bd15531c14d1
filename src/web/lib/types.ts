// The API's shapes as the page uses them (the OpenAPI document at /openapi.json is the full contract).

export type Tier = "free" | "pro";
export type BillingProvider = "polar" | "dodo";
export type ChatMode = "chat" | "extreme";
export type Visibility = "public" | "private";

export interface User {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UsageCounter {
  used: number;
  /** null = unlimited */
  limit: number | null;
  resetAt: string;
}

export interface Me {
  user: User;
  plan: { tier: Tier; source: BillingProvider | null; until: string | null };
  usage: { messages: UsageCounter; extremeSearches: UsageCounter };
}

export interface AppConfig {
  socialProviders: string[];
  billingProviders: BillingProvider[];
  requireEmailVerification: boolean;
}

export interface ModelInfo {
  id: string;
  label: string;
  modes: ChatMode[];
  default: boolean;
}

export interface LockedModel {
  id: string;
  label: string;
  modes: ChatMode[];
  requires: "pro";
}

export interface ModelsResponse {
  plan: Tier;
  models: ModelInfo[];
  lockedModels: LockedModel[];
  modes: ChatMode[];
}

export interface Chat {
  id: string;
  title: string;
  visibility: Visibility;
  createdAt: string;
  updatedAt: string;
  isOwner: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Attachment {
  url: string;
  mediaType: string;
  name: string;
}

export interface StoredMessage {
  id: string;
  chatId: string;
  role: "user" | "assistant" | "system";
  parts: unknown[];
  attachments: Attachment[];
  createdAt: string;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  completionTime: number | null;
}

export type Frequency = "once" | "daily" | "weekly" | "monthly" | "yearly";
export type LookoutStatus = "active" | "paused" | "running" | "archived";

export interface LookoutRun {
  runAt: string;
  chatId: string | null;
  status: "success" | "error" | "timeout";
  error?: string;
  duration: number;
  tokensUsed: number;
  searchesPerformed: number;
}

export interface CustomInstructions {
  content: string;
  createdAt: string;
  updatedAt: string;
}

/** A lookout as `GET /api/lookouts/:id` answers it (the `Lookout` schema of the OpenAPI document). */
export interface Lookout {
  id: string;
  title: string;
  prompt: string;
  frequency: Frequency;
  /** Local HH:MM in `timezone`; null only for a schedule the fields cannot describe. */
  time: string | null;
  /** Weekly: 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number | null;
  /** Monthly and yearly: 1–31. */
  dayOfMonth: number | null;
  /** Yearly: 1–12. */
  month: number | null;
  /** Once: YYYY-MM-DD in `timezone`. */
  date: string | null;
  timezone: string;
  cronSchedule: string;
  /** UTC; null while paused or archived. */
  nextRunAt: string | null;
  status: LookoutStatus;
  /** Whether the owner is mailed when a run ends (true unless turned off). */
  emailsEnabled?: boolean;
  lastRunAt: string | null;
  /** The chat of the last report; it may have been deleted since. */
  lastRunChatId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The schedule fields: each frequency sends its own and null for the others. */
export interface LookoutSchedule {
  frequency: Frequency;
  time: string;
  timezone: string;
  dayOfWeek: number | null;
  dayOfMonth: number | null;
  month: number | null;
  date: string | null;
}

export interface LookoutInput extends LookoutSchedule {
  title: string;
  prompt: string;
}

export type LookoutPatch = Partial<LookoutInput>;
