import { z } from "@hono/zod-openapi";
import { lookoutFrequencies, lookoutRunStatuses, lookoutStatuses } from "../../db/schema";
import { route } from "../../http/middleware/auth";
import { authenticated, errorResponses, jsonContent, pageQuerySchema } from "../../http/openapi";
import { canonicalTimeZone, DATE_PATTERN, isCalendarDate, TIME_PATTERN } from "../../lib/lookout-schedule";
import { toSchedule } from "../../services/lookouts/schedule-input";

export const TITLE_MAX = 200;
export const PROMPT_MAX = 4000;

export const lookoutSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    prompt: z.string(),
    frequency: z.enum(lookoutFrequencies),
    time: z.string().nullable().openapi({ description: "Local time HH:MM (24 h) in `timezone`", example: "08:00" }),
    dayOfWeek: z.number().int().nullable().openapi({ description: "Weekly: 0 = Sunday … 6 = Saturday" }),
    dayOfMonth: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Monthly and yearly: 1–31; a month without that day runs on its last day" }),
    month: z.number().int().nullable().openapi({ description: "Yearly: 1–12" }),
    date: z.string().nullable().openapi({ description: "Once: YYYY-MM-DD in `timezone`" }),
    timezone: z.string().openapi({ example: "Europe/Berlin" }),
    cronSchedule: z.string().openapi({ description: "Five-field cron in `timezone`; empty for `once`" }),
    nextRunAt: z.iso.datetime().nullable().openapi({ description: "UTC; null while paused or archived" }),
    status: z.enum(lookoutStatuses),
    lastRunAt: z.iso.datetime().nullable(),
    lastRunChatId: z
      .string()
      .nullable()
      .openapi({ description: "The chat of the last report; it may have been deleted" }),
    emailsEnabled: z
      .boolean()
      .openapi({ description: "Whether the owner is emailed when a run ends (true unless turned off)" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Lookout");

export const lookoutPageSchema = z
  .strictObject({
    items: z.array(lookoutSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null at the end" }),
  })
  .openapi("LookoutPage");

export const lookoutRunSchema = z
  .strictObject({
    runAt: z.iso.datetime(),
    chatId: z.string().nullable(),
    status: z.enum(lookoutRunStatuses),
    error: z.string().optional(),
    duration: z.number().openapi({ description: "Milliseconds" }),
    tokensUsed: z.number().int(),
    searchesPerformed: z.number().int(),
  })
  .openapi("LookoutRun");

export const lookoutRunPageSchema = z
  .strictObject({
    items: z.array(lookoutRunSchema),
    nextCursor: z.null().openapi({ description: "Always null: the whole history (newest 100 runs) is one page" }),
  })
  .openapi("LookoutRunPage");

export const runNowResponseSchema = z
  .strictObject({ lookout: lookoutSchema, runId: z.string() })
  .openapi("LookoutRunQueued");

const title = z.string().trim().min(1).max(TITLE_MAX);
const prompt = z.string().trim().min(1).max(PROMPT_MAX);
const time = z.string().regex(TIME_PATTERN, "Use a 24-hour local time HH:MM");
const timezone = z
  .string()
  .max(64)
  .transform((value, context) => {
    const canonical = canonicalTimeZone(value);
    if (!canonical) {
      context.addIssue({ code: "custom", message: "Not a known IANA time zone, e.g. Europe/Berlin" });
      return z.NEVER;
    }
    return canonical;
  })
  .openapi({ type: "string", example: "Europe/Berlin" });
const dayOfWeek = z.number().int().min(0).max(6).nullish();
const dayOfMonth = z.number().int().min(1).max(31).nullish();
const month = z.number().int().min(1).max(12).nullish();
const date = z.string().regex(DATE_PATTERN, "Use YYYY-MM-DD").refine(isCalendarDate, "Not a calendar date").nullish();

/** Unknown fields are refused; each frequency takes only its own day fields (see the `Lookout` schema). */
export const createLookoutSchema = z
  .strictObject({
    title,
    prompt,
    frequency: z.enum(lookoutFrequencies),
    time,
    timezone,
    dayOfWeek,
    dayOfMonth,
    month,
    date,
  })
  .superRefine((value, context) => {
    const result = toSchedule(value);
    if ("issues" in result) {
      for (const issue of result.issues) context.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  })
  .openapi("LookoutInput");

export const lookoutPatchSchema = z
  .strictObject({
    title: title.optional(),
    prompt: prompt.optional(),
    frequency: z.enum(lookoutFrequencies).optional(),
    time: time.optional(),
    timezone: timezone.optional(),
    dayOfWeek,
    dayOfMonth,
    month,
    date,
    emailsEnabled: z.boolean().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "Change at least one field",
  })
  .openapi("LookoutPatch");

const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" }, example: "0b7c1d8e-2f4a-4c6b-9d1e-3a5b7c9d1e2f" }),
});

const common = { tags: ["Lookouts"], ...authenticated };

export const listLookoutsRoute = route({
  ...common,
  method: "get",
  path: "/api/lookouts",
  summary: "The caller's lookouts, newest first (keyset-paginated).",
  request: { query: pageQuerySchema },
  responses: {
    200: jsonContent(lookoutPageSchema, "A page of lookouts"),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const createLookoutRoute = route({
  ...common,
  method: "post",
  path: "/api/lookouts",
  summary: "Create a lookout (Pro): a prompt researched in extreme mode on a schedule in the given time zone.",
  description:
    "At most LOOKOUTS_MAX_PER_USER lookouts (every status counts) and LOOKOUTS_MAX_ACTIVE_DAILY active daily ones: " +
    "403 LIMIT_REACHED with `{ limit, max, count }`. A local time that does not exist on a day runs at the first " +
    "instant after the gap; a repeated one runs once, at its first occurrence.",
  request: { body: { required: true, content: { "application/json": { schema: createLookoutSchema } } } },
  responses: {
    201: jsonContent(lookoutSchema, "The created lookout"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const getLookoutRoute = route({
  ...common,
  method: "get",
  path: "/api/lookouts/{id}",
  summary: "One of the caller's lookouts.",
  request: { params: idParams },
  responses: { 200: jsonContent(lookoutSchema, "The lookout"), 401: errorResponses[401], 404: errorResponses[404] },
});

export const updateLookoutRoute = route({
  ...common,
  method: "patch",
  path: "/api/lookouts/{id}",
  summary: "Change title, prompt, schedule (Pro) or `emailsEnabled`. A new schedule recomputes the next run from now.",
  description:
    "Unknown fields are refused. A running lookout answers 409 until its run ends. A change of `emailsEnabled` " +
    "alone needs no plan and is taken while the lookout runs.",
  request: {
    params: idParams,
    body: { required: true, content: { "application/json": { schema: lookoutPatchSchema } } },
  },
  responses: {
    200: jsonContent(lookoutSchema, "The updated lookout"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

export const deleteLookoutRoute = route({
  ...common,
  method: "delete",
  path: "/api/lookouts/{id}",
  summary: "Delete a lookout (its generated chats stay).",
  request: { params: idParams },
  responses: {
    204: { description: "Deleted" },
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

const action = (name: "pause" | "resume", summary: string) =>
  route({
    ...common,
    method: "post",
    path: `/api/lookouts/{id}/${name}`,
    summary,
    request: { params: idParams },
    responses: {
      200: jsonContent(lookoutSchema, "The lookout"),
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  });

export const pauseLookoutRoute = action("pause", "Pause: no runs until resumed (idempotent).");
export const resumeLookoutRoute = action(
  "resume",
  "Resume (Pro): runs next at the next occurrence after now; missed ones are not made up (idempotent).",
);

export const runLookoutRoute = route({
  ...common,
  method: "post",
  path: "/api/lookouts/{id}/run",
  summary: "Run now (Pro), outside the schedule; the report arrives as a new chat.",
  description:
    "At most `LOOKOUT_RUN_NOW_PER_HOUR` (default 10) runs per user and hour; past that 429 with `Retry-After`.",
  request: { params: idParams },
  responses: {
    202: jsonContent(runNowResponseSchema, "The run is queued"),
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
    429: errorResponses[429],
    503: errorResponses[503],
  },
});

export const listLookoutRunsRoute = route({
  ...common,
  method: "get",
  path: "/api/lookouts/{id}/runs",
  summary: "The run history, newest first (the newest 100 runs are kept).",
  request: { params: idParams },
  responses: { 200: jsonContent(lookoutRunPageSchema, "Runs"), 401: errorResponses[401], 404: errorResponses[404] },
});

const htmlPage = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

export const lookoutEmailsOffRoute = route({
  tags: ["Lookouts"],
  method: "get",
  path: "/api/lookouts/{id}/emails/off",
  summary: "Turn off a lookout's run emails: the link at the end of each of them. Needs no sign-in.",
  description:
    "`token` is the server's signature of the lookout and its owner, as mailed. Idempotent; answers a small HTML " +
    "page. Turn the emails back on with `PATCH /api/lookouts/{id}` and `{ emailsEnabled: true }`.",
  request: {
    params: idParams,
    query: z.object({
      token: z
        .string()
        .min(1)
        .max(256)
        .openapi({ param: { name: "token", in: "query" }, description: "From the link in the email" }),
    }),
  },
  responses: {
    200: htmlPage("The lookout's emails are off"),
    400: errorResponses[400],
    404: htmlPage("The link is not valid, or its lookout was deleted"),
  },
});
