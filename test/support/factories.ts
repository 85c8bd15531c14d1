import { env } from "cloudflare:workers";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import {
  type Chat,
  chat,
  type ExtremeSearchUsage,
  extremeSearchUsage,
  type Lookout,
  lookout,
  type Message,
  type MessageUsage,
  message,
  messageUsage,
  type NewChat,
  type NewLookout,
  type NewMessage,
  type NewSession,
  type NewSubscription,
  type NewUser,
  type Session,
  type Stream,
  type Subscription,
  session,
  stream,
  subscription,
  type User,
  user,
} from "../../src/db/schema";

// Rows a test needs as its precondition, inserted through Drizzle with the app's schema. Anyone who
// signs in goes through the real sign-up instead (signUpVerified in ./auth).

const DAY_MS = 86_400_000;

/** A time given as text keeps its microseconds (a Date has only milliseconds): Postgres parses it. */
type Instant = Date | string;
const instant = (value: Instant): Date | SQL => (typeof value === "string" ? sql`${value}::timestamptz` : value);

function one<T>(rows: T[]): T {
  const [row] = rows;
  if (!row) throw new Error("the insert returned no row");
  return row;
}

/** A verified user, without credentials: for code that needs a user id and email but no session. */
export async function createUser(db: Db, overrides: Partial<NewUser> = {}): Promise<User> {
  const id = overrides.id ?? `user-${crypto.randomUUID()}`;
  return one(
    await db
      .insert(user)
      .values({ name: "Lou", email: `${id}@example.test`, emailVerified: true, ...overrides, id })
      .returning(),
  );
}

/** A session row for `userId`, live for a day unless `expiresAt` says otherwise. */
export async function createSession(
  db: Db,
  fields: Pick<NewSession, "userId"> & Partial<NewSession>,
): Promise<Session> {
  return one(
    await db
      .insert(session)
      .values({
        id: `ses-${crypto.randomUUID()}`,
        token: `tok-${crypto.randomUUID()}`,
        expiresAt: new Date(Date.now() + DAY_MS),
        ...fields,
      })
      .returning(),
  );
}

export interface MessageFields extends Omit<Partial<NewMessage>, "createdAt"> {
  /** The message's one text part, unless `parts` is given. */
  text?: string;
  createdAt?: Instant;
}

/** A message in `chatId`: a user's question about Kyoto unless told otherwise. */
export async function createMessage(db: Db, fields: { chatId: string } & MessageFields): Promise<Message> {
  const { text, createdAt, ...rest } = fields;
  return one(
    await db
      .insert(message)
      .values({
        id: crypto.randomUUID(),
        role: "user",
        parts: [{ type: "text", text: text ?? "What is the weather in Kyoto in April?" }],
        ...rest,
        ...(createdAt ? { createdAt: instant(createdAt) } : {}),
      })
      .returning(),
  );
}

export interface ChatFields extends Omit<Partial<NewChat>, "createdAt" | "updatedAt"> {
  userId: string;
  /** Both timestamps of the chat. */
  createdAt?: Instant;
  /**
   * Its messages, oldest first: each one's fields, or a count of alternating user and assistant
   * messages a second apart, ending now.
   */
  messages?: MessageFields[] | number;
}

/** A chat owned by `userId`, with its messages. */
export async function createChat(db: Db, fields: ChatFields): Promise<Chat & { messages: Message[] }> {
  const { messages = [], createdAt, ...rest } = fields;
  const at = instant(createdAt ?? new Date());
  const row = one(
    await db
      .insert(chat)
      .values({ id: crypto.randomUUID(), title: "Three quiet days in Kyoto", ...rest, createdAt: at, updatedAt: at })
      .returning(),
  );
  const list: MessageFields[] =
    typeof messages === "number"
      ? Array.from({ length: messages }, (_, index) => ({
          role: index % 2 === 0 ? "user" : "assistant",
          text: `Message ${index + 1}`,
          createdAt: new Date(Date.now() - (messages - index) * 1000),
        }))
      : messages;
  const created: Message[] = [];
  for (const each of list) created.push(await createMessage(db, { ...each, chatId: row.id }));
  return { ...row, messages: created };
}

/** A reply stream of `chatId`, as a turn in progress leaves it. */
export async function createStream(db: Db, chatId: string): Promise<Stream> {
  return one(await db.insert(stream).values({ id: crypto.randomUUID(), chatId }).returning());
}

/** The Pro product the test Worker is configured with (vitest.config.ts). */
export const proProductId = (): string => String(env.POLAR_PRO_PRODUCT_IDS).split(",")[0] ?? "";

/** An active Polar subscription to the Pro product, as production makes a user Pro; a month, begun yesterday. */
export async function createProSubscription(
  db: Db,
  userId: string | null,
  overrides: Partial<NewSubscription> = {},
): Promise<Subscription> {
  const now = Date.now();
  return one(
    await db
      .insert(subscription)
      .values({
        id: `sub-${crypto.randomUUID()}`,
        userId,
        createdAt: new Date(now),
        amount: 900,
        currency: "usd",
        recurringInterval: "month",
        status: "active",
        currentPeriodStart: new Date(now - DAY_MS),
        currentPeriodEnd: new Date(now + 29 * DAY_MS),
        customerId: "cus",
        productId: proProductId(),
        ...overrides,
      })
      .returning(),
  );
}

/** A user with a Pro subscription. */
export async function createProUser(db: Db, overrides: Partial<NewUser> = {}): Promise<User> {
  const created = await createUser(db, overrides);
  await createProSubscription(db, created.id);
  return created;
}

/** A daily lookout for Lisbon flights, active and not yet scheduled unless told otherwise. */
export async function createLookout(
  db: Db,
  fields: Pick<NewLookout, "userId"> & Partial<NewLookout>,
): Promise<Lookout> {
  return one(
    await db
      .insert(lookout)
      .values({
        id: crypto.randomUUID(),
        title: "Lisbon flights",
        prompt: "Direct flights Berlin to Lisbon under 100 EUR?",
        frequency: "daily",
        cronSchedule: "0 8 * * *",
        timezone: "Europe/Berlin",
        status: "active",
        ...fields,
      })
      .returning(),
  );
}

const startOfUtcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
const startOfUtcMonth = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

/** `count` messages sent by `userId` on the UTC day of `on` (today unless given). */
export async function createMessageUsage(
  db: Db,
  fields: { userId: string; count: number; on?: Date; id?: string },
): Promise<MessageUsage> {
  const date = startOfUtcDay(fields.on ?? new Date());
  return one(
    await db
      .insert(messageUsage)
      .values({
        id: fields.id ?? crypto.randomUUID(),
        userId: fields.userId,
        messageCount: fields.count,
        date,
        resetAt: new Date(date.getTime() + DAY_MS),
      })
      .returning(),
  );
}

/** `count` extreme searches run by `userId` in the UTC month of `on` (this month unless given). */
export async function createExtremeSearchUsage(
  db: Db,
  fields: { userId: string; count: number; on?: Date },
): Promise<ExtremeSearchUsage> {
  const date = startOfUtcMonth(fields.on ?? new Date());
  const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return one(
    await db
      .insert(extremeSearchUsage)
      .values({ id: crypto.randomUUID(), userId: fields.userId, searchCount: fields.count, date, resetAt: next })
      .returning(),
  );
}
