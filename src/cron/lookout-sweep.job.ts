import { sweepStuckLookouts } from "../services/lookouts/sweep-stuck-lookouts";
import type { CronJob } from "./jobs";

/** Releases lookouts stuck in `running` beyond LOOKOUT_RUN_TIMEOUT_MINUTES, recording a `timeout` run. */
export const lookoutSweepJob: CronJob = {
  name: "lookout-sweep",
  async run(deps) {
    return sweepStuckLookouts({
      ctx: {
        db: deps.db,
        timeoutMinutes: deps.config.LOOKOUT_RUN_TIMEOUT_MINUTES,
        mail: { mailer: deps.mailer, config: deps.config, log: deps.log },
      },
    });
  },
};
