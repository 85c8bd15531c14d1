import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { chat, message } from "../schema";

// A report chat the owner deleted is skipped for the one before it, this many successful runs back at most.
const PREVIOUS_REPORT_CANDIDATES = 5;

/**
 * The report of the lookout's newest successful run whose chat its owner still has: when the run was
 * and the parts of the chat's first answer (the report itself, before anything the owner asked after it).
 */
export async function findPreviousReport(
  db: Queryable,
  params: { lookoutId: string; userId: string },
): Promise<{ runAt: Date; parts: unknown } | undefined> {
  const rows = rowsOf<{ run_at: string; parts: unknown }>(
    await db.execute(sql`
      with runs as (
        select h.e ->> 'chatId' as chat_id, h.e ->> 'runAt' as run_at, h.n
        from lookout as l,
          json_array_elements(case when json_typeof(l.run_history) = 'array' then l.run_history else '[]'::json end)
            with ordinality as h(e, n)
        where l.id = ${params.lookoutId} and h.e ->> 'status' = 'success' and h.e ->> 'chatId' is not null
        order by h.n desc
        limit ${PREVIOUS_REPORT_CANDIDATES}
      )
      select runs.run_at, report.parts
      from runs
      join chat as c on c.id = runs.chat_id and c.user_id = ${params.userId}
      cross join lateral (
        select m.parts from message as m
        where m.chat_id = c.id and m.role = 'assistant'
        order by m.created_at, m.id
        limit 1
      ) as report
      order by runs.n desc
      limit 1`),
  );
  const row = rows[0];
  if (!row) return undefined;
  const runAt = new Date(row.run_at);
  return Number.isNaN(runAt.getTime()) ? undefined : { runAt, parts: row.parts };
}

/** Saves a run's report as a new private chat: the prompt, then the report. */
export async function insertReportChat(
  db: Queryable,
  params: {
    chatId: string;
    userId: string;
    title: string;
    prompt: string;
    startedAt: Date;
    finishedAt: Date;
    report: {
      parts: unknown[];
      model: string;
      inputTokens: number;
      outputTokens: number;
      totalTokens: number;
      completionTime: number;
    };
  },
): Promise<void> {
  await db.insert(chat).values({
    id: params.chatId,
    userId: params.userId,
    title: params.title,
    visibility: "private",
    createdAt: params.startedAt,
    updatedAt: params.finishedAt,
  });
  // Distinct timestamps keep the prompt before the report in (created_at, id) order.
  const answeredAt = new Date(Math.max(params.finishedAt.getTime(), params.startedAt.getTime() + 1));
  await db.insert(message).values([
    {
      id: crypto.randomUUID(),
      chatId: params.chatId,
      role: "user",
      parts: [{ type: "text", text: params.prompt }],
      attachments: [],
      createdAt: params.startedAt,
    },
    {
      id: crypto.randomUUID(),
      chatId: params.chatId,
      role: "assistant",
      parts: params.report.parts,
      attachments: [],
      createdAt: answeredAt,
      model: params.report.model,
      inputTokens: params.report.inputTokens,
      outputTokens: params.report.outputTokens,
      totalTokens: params.report.totalTokens,
      completionTime: params.report.completionTime,
    },
  ]);
}
