import type { CronJob } from "./jobs";

/** Claims due lookouts and queues one run each. */
export const lookoutDispatchJob: CronJob = {
  name: "lookout-dispatch",
  async run() {
    return { claimed: 0 };
  },
};
