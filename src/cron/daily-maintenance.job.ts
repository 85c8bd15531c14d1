import { purgeExpiredAuthRows } from "../services/account/purge-expired-auth-rows";
import { purgeOldMessageUsage } from "../services/usage/purge-old-message-usage";
import type { CronJob } from "./jobs";

/** Daily clean-up: expired sessions and verifications, usage rows of previous days. */
export const dailyMaintenanceJob: CronJob = {
  name: "daily-maintenance",
  async run(deps, scheduledTime) {
    const expired = await purgeExpiredAuthRows({ ctx: { db: deps.db, now: scheduledTime } });
    const usageRows = await purgeOldMessageUsage({ ctx: { db: deps.db, now: scheduledTime } });
    return { expiredSessions: expired.sessions, expiredVerifications: expired.verifications, oldUsageRows: usageRows };
  },
};
