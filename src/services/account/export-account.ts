import type { Db, Tx } from "../../db/client";
import { collectUserRecords } from "../../db/queries/account";
import { listMessagesByChat } from "../../db/queries/messages";
import type { KeysetPosition } from "../../lib/keyset-cursor";
import type { Logger } from "../../lib/log";

/** Messages read per statement: what the export holds in memory at once, whatever the account's size. */
export const EXPORT_PAGE_SIZE = 500;

export interface AccountExport {
  /** The JSON document, written as it is read. */
  body: ReadableStream<Uint8Array>;
  /** Settles (never rejects) once the export no longer uses the database: read to the end, failed or cancelled. */
  released: Promise<void>;
}

type Records = Awaited<ReturnType<typeof collectUserRecords>>;

/**
 * A JSON export of everything stored about the user, read in one snapshot (a read-only repeatable-read
 * transaction that stays open while the body is written). Everything but the messages is read before
 * this resolves, so an unreachable database fails the request instead of cutting a 200 short; messages
 * follow chat by chat in keyset pages, each page written out before the next is read.
 */
export async function exportAccount({
  ctx,
  input,
}: {
  ctx: { db: Db; log: Logger };
  input: { userId: string };
}): Promise<AccountExport> {
  const exportedAt = new Date().toISOString();
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let opened: (value: { tx: Tx; records: Records }) => void = () => {};
  const snapshot = new Promise<{ tx: Tx; records: Records }>((resolve) => {
    opened = resolve;
  });
  const transaction = ctx.db.transaction(
    async (tx) => {
      opened({ tx, records: await collectUserRecords(tx, input.userId) });
      await finished;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  // Only a failure before the first read fails the request; a later one ends the body (see `released`).
  const endedEarly = transaction.then(() => {
    throw new Error("The export's transaction ended before its first read");
  });
  endedEarly.catch(() => {});
  const { tx, records } = await Promise.race([snapshot, endedEarly]);

  const pieces = writeExport(tx, exportedAt, records);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await pieces.next();
          if (next.done) {
            controller.close();
            finish();
          } else {
            controller.enqueue(encoder.encode(next.value));
          }
        } catch (error) {
          ctx.log.error("export.failed", { error });
          controller.error(error);
          finish();
        }
      },
      async cancel() {
        finish();
        await pieces.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  const released = transaction.then(
    () => undefined,
    (error: unknown) => ctx.log.warn("export.transaction.failed", { error }),
  );
  return { body, released };
}

/** The document in pieces, keys in the order of the whole-object export it replaces. */
async function* writeExport(tx: Tx, exportedAt: string, records: Records): AsyncGenerator<string> {
  const { chats, ...rest } = records;
  const head = JSON.stringify({
    exportedAt,
    profile: rest.profile,
    accounts: rest.accounts,
    sessions: rest.sessions,
  });
  yield `${head.slice(0, -1)},"chats":[`;
  for (const [index, chat] of chats.entries()) {
    yield `${index === 0 ? "" : ","}${JSON.stringify(chat).slice(0, -1)},"messages":[`;
    let after: KeysetPosition | undefined;
    let first = true;
    for (;;) {
      const page = await listMessagesByChat(tx, { chatId: chat.id, limit: EXPORT_PAGE_SIZE, after });
      if (page.length > 0) {
        const messages = page.map(({ position: _position, ...message }) => JSON.stringify(message)).join(",");
        yield `${first ? "" : ","}${messages}`;
        first = false;
      }
      const last = page.at(-1);
      if (!last || page.length < EXPORT_PAGE_SIZE) break;
      after = { createdAt: last.position, id: last.id };
    }
    yield "]}";
  }
  const tail = JSON.stringify({
    customInstructions: rest.customInstructions,
    lookouts: rest.lookouts,
    subscriptions: rest.subscriptions,
    payments: rest.payments,
    usage: rest.usage,
  });
  yield `],${tail.slice(1)}`;
}
