import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/types";
import { createLookout } from "../../services/lookouts/create-lookout";
import { deleteLookout } from "../../services/lookouts/delete-lookout";
import { getLookout, listLookoutRuns } from "../../services/lookouts/get-lookout";
import { listLookouts } from "../../services/lookouts/list-lookouts";
import { pauseLookout } from "../../services/lookouts/pause-lookout";
import { resumeLookout } from "../../services/lookouts/resume-lookout";
import { runLookoutNow } from "../../services/lookouts/run-lookout-now";
import { updateLookout } from "../../services/lookouts/update-lookout";
import type {
  createLookoutRoute,
  deleteLookoutRoute,
  getLookoutRoute,
  listLookoutRunsRoute,
  listLookoutsRoute,
  pauseLookoutRoute,
  resumeLookoutRoute,
  runLookoutRoute,
  updateLookoutRoute,
} from "./lookouts.routes";

export const listLookoutsHandler: RouteHandler<typeof listLookoutsRoute, AppEnv> = async (c) => {
  const page = await listLookouts({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: c.req.valid("query"),
  });
  return c.json(page, 200);
};

export const createLookoutHandler: RouteHandler<typeof createLookoutRoute, AppEnv> = async (c) => {
  const { db, config } = c.get("deps");
  const lookout = await createLookout({ ctx: { db, config, userId: c.get("user").id }, input: c.req.valid("json") });
  return c.json(lookout, 201);
};

export const getLookoutHandler: RouteHandler<typeof getLookoutRoute, AppEnv> = async (c) => {
  const lookout = await getLookout({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(lookout, 200);
};

export const updateLookoutHandler: RouteHandler<typeof updateLookoutRoute, AppEnv> = async (c) => {
  const { db, config } = c.get("deps");
  const lookout = await updateLookout({
    ctx: { db, config, userId: c.get("user").id },
    input: { id: c.req.valid("param").id, patch: c.req.valid("json") },
  });
  return c.json(lookout, 200);
};

export const deleteLookoutHandler: RouteHandler<typeof deleteLookoutRoute, AppEnv> = async (c) => {
  await deleteLookout({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.body(null, 204);
};

export const pauseLookoutHandler: RouteHandler<typeof pauseLookoutRoute, AppEnv> = async (c) => {
  const lookout = await pauseLookout({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(lookout, 200);
};

export const resumeLookoutHandler: RouteHandler<typeof resumeLookoutRoute, AppEnv> = async (c) => {
  const { db, config } = c.get("deps");
  const lookout = await resumeLookout({
    ctx: { db, config, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(lookout, 200);
};

export const runLookoutHandler: RouteHandler<typeof runLookoutRoute, AppEnv> = async (c) => {
  const { db, config, env, log } = c.get("deps");
  const queued = await runLookoutNow({
    ctx: { db, config, userId: c.get("user").id, queue: env.LOOKOUT_RUNS, log },
    input: { id: c.req.valid("param").id },
  });
  return c.json(queued, 202);
};

export const listLookoutRunsHandler: RouteHandler<typeof listLookoutRunsRoute, AppEnv> = async (c) => {
  const runs = await listLookoutRuns({
    ctx: { db: c.get("deps").db, userId: c.get("user").id },
    input: { id: c.req.valid("param").id },
  });
  return c.json(runs, 200);
};
