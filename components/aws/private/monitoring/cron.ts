/**
 * The spec's 5-field cron (UTC, Kubernetes syntax, checked by the Kubernetes slice's parser) as an
 * EventBridge Scheduler `cron(minutes hours day-of-month month day-of-week year)` expression
 * (docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based):
 *
 * - EventBridge needs `?` in one of the two day fields, so it cannot say "on the 1st OR on
 *   Mondays", which cron means when both are set: such schedules are refused;
 * - day-of-week runs 1–7 from Sunday (cron: 0–6), so numbers shift by one; names stay;
 * - `@hourly`-style macros are expanded first; the year field is always `*`.
 */
import { CronScheduleError, parseCronSchedule } from "../../../kubernetes/monitoring/cron";

function shiftWeekdays(field: string): string {
  return field
    .split(",")
    .map((part) => {
      const [range, step] = part.split("/");
      if (range === "*" || range === "?") return part;
      const shifted = range!
        .split("-")
        .map((v) => (/^[0-9]+$/.test(v) ? String(Number(v) + 1) : v))
        .join("-");
      return step === undefined ? shifted : `${shifted}/${step}`;
    })
    .join(",");
}

/**
 * The EventBridge Scheduler expression of a 5-field cron schedule.
 * @throws CronScheduleError naming the problem and the fix.
 */
export function eventBridgeCron(schedule: string): string {
  const { expression } = parseCronSchedule(schedule);
  const [minute, hour, dom, month, dow] = expression.split(/\s+/) as [string, string, string, string, string];
  const anyDom = dom === "*" || dom === "?";
  const anyDow = dow === "*" || dow === "?";
  if (!anyDom && !anyDow) {
    throw new CronScheduleError(
      `'${schedule}' sets both day-of-month (${dom}) and day-of-week (${dow}); cron runs on either, but EventBridge takes only one of them. Fix: keep one of the two day fields and set the other to '*'`,
    );
  }
  const days = anyDow ? `${anyDom ? "*" : dom} ${month} ?` : `? ${month} ${shiftWeekdays(dow)}`;
  return `cron(${minute} ${hour} ${days} *)`;
}
