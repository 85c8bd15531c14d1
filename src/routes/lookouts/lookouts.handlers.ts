import type { AppRouteHandler } from "../../http/openapi";
import { createLookout } from "../../services/lookouts/create-lookout";
import { deleteLookout } from "../../services/lookouts/delete-lookout";
import { getLookout, listLookoutRuns } from "../../services/lookouts/get-lookout";
import { listLookouts } from "../../services/lookouts/list-lookouts";
import { pauseLookout } from "../../services/lookouts/pause-lookout";
import { resumeLookout } from "../../services/lookouts/resume-lookout";
import { runLookoutNow } from "../../services/lookouts/run-lookout-now";
import { turnOffLookoutEmails } from "../../services/lookouts/turn-off-lookout-emails";
import { updateLookout } from "../../services/lookouts/update-lookout";
import type {
  createLookoutRoute,
  deleteLookoutRoute,
  getLookoutRoute,
  listLookoutRunsRoute,
  listLookoutsRoute,
  lookoutEmailsOffRoute,
  pauseLookoutRoute,
  resumeLookoutRoute,
  runLookoutRoute,
  updateLookoutRoute,
} from "./lookouts.routes";

export const listLookoutsHandler: AppRouteHandler<typeof listLookoutsRoute> = async (c) => {
  const page = await listLookouts({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: c.req.valid("query"),
  });
  return c.json(page, 200);
};

export const createLookoutHandler: AppRouteHandler<typeof createLookoutRoute> = async (c) => {
  const { db, config } = c.get("deps");
  const lookout = await createLookout({ ctx: { db, config, userId: c.get("user").id }, input: c.req.valid("json") });
  return c.json(lookout, 201);
};

export const getLookoutHandler: AppRouteHandler<typeof getLookoutRoute> = async (c) => {
  const lookout = await getLookout({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(lookout, 200);
};

export const updateLookoutHandler: AppRouteHandler<typeof updateLookoutRoute> = async (c) => {
  const { db, config } = c.get("deps");
  const lookout = await updateLookout({
    ctx: { db, config, userId: c.get("user").id },
    input: { id: c.req.valid("param").id, patch: c.req.valid("json") },
  });
  return c.json(lookout, 200);
};

export const deleteLookoutHandler: AppRouteHandler<typeof deleteLookoutRoute> = async (c) => {
  await deleteLookout({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.body(null, 204);
};

export const pauseLookoutHandler: AppRouteHandler<typeof pauseLookoutRoute> = async (c) => {
  const lookout = await pauseLookout({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(lookout, 200);
};

export const resumeLookoutHandler: AppRouteHandler<typeof resumeLookoutRoute> = async (c) => {
  const { db, config } = c.get("deps");
  const lookout = await resumeLookout({
    ctx: { db, config, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(lookout, 200);
};

export const runLookoutHandler: AppRouteHandler<typeof runLookoutRoute> = async (c) => {
  const { db, config, lookoutRuns, log } = c.get("deps");
  const queued = await runLookoutNow({
    ctx: { db, config, userId: c.get("user").id, queue: lookoutRuns, log },
    input: { id: c.req.valid("param").id },
  });
  return c.json(queued, 202);
};

export const listLookoutRunsHandler: AppRouteHandler<typeof listLookoutRunsRoute> = async (c) => {
  const runs = await listLookoutRuns({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(runs, 200);
};

const page = (heading: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mylo</title></head><body><h1>${heading}</h1><p>${body}</p><p><a href="/lookouts">Your lookouts</a></p></body></html>`;

// The page takes nothing from the request, loads nothing and is never cached: the address holds a token.
const pageHeaders = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

export const lookoutEmailsOffHandler: AppRouteHandler<typeof lookoutEmailsOffRoute> = async (c) => {
  const { db, config } = c.get("deps");
  const turnedOff = await turnOffLookoutEmails({
    ctx: { db, config },
    // A HEAD (a mail scanner checking the link) changes nothing.
    input: { id: c.req.valid("param").id, token: c.req.valid("query").token, write: c.req.method !== "HEAD" },
  });
  if (!turnedOff) {
    return c.html(
      page(
        "This link does not work",
        "It is not a valid link to turn off a lookout's emails, or the lookout was deleted.",
      ),
      404,
      pageHeaders,
    );
  }
  return c.html(
    page(
      "Emails for this lookout are off",
      "You will not get emails about its runs any more. You can turn them back on from the lookout in Mylo.",
    ),
    200,
    pageHeaders,
  );
};
