import { describe, expect, it } from "vitest";
import { CronScheduleError, parseCronSchedule } from "../../../components/kubernetes/monitoring/cron";

describe("parseCronSchedule", () => {
  it("measures the gaps between runs, including weekends and month gaps", () => {
    expect(parseCronSchedule("0 * * * *")).toEqual({
      expression: "0 * * * *",
      shortestGapSeconds: 3600,
      longestGapSeconds: 3600,
    });
    // Every minute on weekdays: Friday 23:59 to Monday 00:00 is two days and a minute.
    const weekdays = parseCronSchedule("* * * * MON-FRI");
    expect(weekdays.shortestGapSeconds).toBe(60);
    expect(weekdays.longestGapSeconds).toBe(2 * 86_400 + 60);
    // Minutes 0,7,…,56: the wrap from :56 to :00 is the short gap.
    expect(parseCronSchedule("*/7 * * * *")).toMatchObject({
      shortestGapSeconds: 240,
      longestGapSeconds: 420,
    });
    // robfig's `a/n` runs from a to the maximum: 5, 25, 45.
    expect(parseCronSchedule("5/20 * * * *")).toMatchObject({
      shortestGapSeconds: 1200,
      longestGapSeconds: 1200,
    });
  });

  it("combines the day fields as Kubernetes does: OR when both are restricted, AND when one is '*' or '?'", () => {
    // The 1st, the 15th and every Monday: never more than a week apart, sometimes a day.
    expect(parseCronSchedule("0 0 1,15 * 1")).toMatchObject({
      shortestGapSeconds: 86_400,
      longestGapSeconds: 604_800,
    });
    expect(parseCronSchedule("0 0 ? * 1")).toMatchObject({
      shortestGapSeconds: 604_800,
      longestGapSeconds: 604_800,
    });
  });

  it("expands the macros Kubernetes accepts", () => {
    expect(parseCronSchedule("@daily").expression).toBe("0 0 * * *");
    expect(parseCronSchedule("@hourly").expression).toBe("0 * * * *");
    expect(() => parseCronSchedule("@every 5m")).toThrow(/not a schedule macro Kubernetes knows/);
  });

  it("refuses what Kubernetes' parser refuses, naming the field", () => {
    const cases: [string, RegExp][] = [
      ["0 0 L * *", /day-of-month field has "L"/],
      ["0 0 * * 5#2", /day-of-week field has "5#2"/],
      ["? * * * *", /minute field has '\?'/],
      ["30-10 * * * *", /minute field has the range "30-10", which runs backwards/],
      ["0 24 * * *", /hour field has 24, outside 0–23/],
      ["0 0 0 * *", /day-of-month field has 0, outside 1–31/],
      ["0 0 * 13 *", /month field has 13, outside 1–12/],
      ["TZ=Europe/Paris 0 * * * *", /time zone inside the schedule/],
      ["0 * * *", /has 4 field\(s\)/],
    ];
    for (const [schedule, message] of cases) {
      expect(() => parseCronSchedule(schedule), schedule).toThrow(CronScheduleError);
      expect(() => parseCronSchedule(schedule), schedule).toThrow(message);
    }
  });
});
