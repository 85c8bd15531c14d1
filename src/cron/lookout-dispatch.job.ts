import { dispatchDueLookouts } from "../services/lookouts/dispatch-due-lookouts";
import type { CronJob } from "./jobs";

/** Claims due lookouts and queues one run each (at the actual time, so a late trigger still catches up). */
export const lookoutDispatchJob: CronJob = {
  name: "lookout-dispatch",
  async run(deps) {
    return dispatchDueLookouts({ ctx: { db: deps.db, queue: deps.lookoutRuns, log: deps.log } });
  },
};
