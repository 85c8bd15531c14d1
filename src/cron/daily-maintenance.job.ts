import type { CronJob } from "./jobs";

/** Daily clean-up: expired sessions and verifications, usage rows of previous days. */
export const dailyMaintenanceJob: CronJob = {
  name: "daily-maintenance",
  async run() {
    return {};
  },
};
