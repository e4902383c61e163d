import { Cron } from "croner";

/**
 * The five fields of a Kubernetes CronJob schedule, in order. Kubernetes parses schedules with
 * robfig/cron's standard parser: minute hour day-of-month month day-of-week, with ranges (`1-5`),
 * steps (`*\/15`, `0-30/10`), lists (`1,15`), `?` for "any" in the day fields, and three-letter
 * month and weekday names. Day-of-week runs 0–6 (Sunday is 0; `7` is refused there).
 */
export const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59, names: [] },
  { name: "hour", min: 0, max: 23, names: [] },
  { name: "day-of-month", min: 1, max: 31, names: [] },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { name: "day-of-week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

/** The predefined schedules Kubernetes accepts, with their five-field meaning. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** A schedule that passed {@link parseCronSchedule}. */
export interface CronSchedule {
  /** The five-field form (macros expanded). */
  readonly expression: string;
  /**
   * The shortest gap between two consecutive runs (over four years of runs), in seconds: what a
   * run's deadline is sized against.
   */
  readonly shortestGapSeconds: number;
  /** The longest gap between two consecutive runs, in seconds: what the staleness alert waits for. */
  readonly longestGapSeconds: number;
}

/** Thrown by {@link parseCronSchedule}; the message names the field, the bad part and the fix. */
export class CronScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronScheduleError";
  }
}

const FIELD_PART = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?$/;

function fieldValue(field: (typeof CRON_FIELDS)[number], token: string): number {
  const upper = token.toUpperCase();
  const named = (field.names as readonly string[]).indexOf(upper);
  if (named >= 0) return field.name === "month" ? named + 1 : named;
  if (!/^[0-9]+$/.test(token)) {
    const hint = field.names.length > 0 ? ` or one of ${field.names.join(", ")}` : "";
    throw new CronScheduleError(
      `the ${field.name} field has ${JSON.stringify(token)}, which is not a number${hint}. Fix: use a value from ${field.min} to ${field.max}${hint}`,
    );
  }
  const value = Number(token);
  if (value < field.min || value > field.max) {
    const sunday =
      field.name === "day-of-week" && value === 7 ? " (Kubernetes writes Sunday as 0, not 7)" : "";
    throw new CronScheduleError(
      `the ${field.name} field has ${value}, outside ${field.min}–${field.max}${sunday}. Fix: use a value from ${field.min} to ${field.max}`,
    );
  }
  return value;
}

/** One field's values, and whether it was written as `*` or `?` (which matters for the day fields). */
interface FieldValues {
  values: Set<number>;
  star: boolean;
}

/** Checks one field's syntax and ranges the way Kubernetes' parser reads them, and expands it. */
function expandField(field: (typeof CRON_FIELDS)[number], text: string): FieldValues {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(",")) {
    const match = FIELD_PART.exec(part);
    if (!match) {
      throw new CronScheduleError(
        `the ${field.name} field has ${JSON.stringify(part)}, which is not a value, a range (a-b), a step (*/n, a-b/n) or a list (a,b). Fix: e.g. '*/15', '1-5' or '0,30'`,
      );
    }
    const [, base = "", range, stepText] = match;
    if (base === "?" && field.name !== "day-of-month" && field.name !== "day-of-week") {
      throw new CronScheduleError(
        `the ${field.name} field has '?', which only the day-of-month and day-of-week fields accept. Fix: use '*'`,
      );
    }
    const step = stepText === undefined ? 1 : Number(stepText.slice(1));
    if (step === 0) {
      throw new CronScheduleError(
        `the ${field.name} field has the step ${JSON.stringify(part)}. Fix: use a step of 1 or more`,
      );
    }
    let low: number = field.min;
    let high: number = field.max;
    if (base === "*" || base === "?") {
      if (stepText === undefined) star = true;
    } else {
      const [from, to] = range === undefined ? [base, undefined] : base.split("-");
      low = fieldValue(field, from!);
      // `a/n` runs from a to the field's maximum, as in robfig/cron.
      high = to !== undefined ? fieldValue(field, to) : stepText !== undefined ? field.max : low;
      if (high < low) {
        throw new CronScheduleError(
          `the ${field.name} field has the range ${JSON.stringify(part)}, which runs backwards. Fix: write the smaller value first, e.g. '${high}-${low}'`,
        );
      }
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star };
}

const DAY_SECONDS = 86_400;
/** Four years from a Monday-independent start: every weekday/day-of-month/leap-day combination. */
const HORIZON_START = Date.UTC(2025, 0, 1);
const HORIZON_DAYS = 4 * 366;

/**
 * Validates a CronJob schedule as Kubernetes will read it (5 fields, ranges, steps, lists, names, or
 * one of the `@hourly`-style macros) and measures the gaps between its runs. Each field is checked
 * here so the error can name it, croner then reads the whole expression as a second opinion, and
 * the gaps come from the expanded fields, which also catches schedules that never fire (`0 0 30 2 *`).
 */
export function parseCronSchedule(schedule: string): CronSchedule {
  const trimmed = schedule.trim();
  if (/^TZ=|^CRON_TZ=/i.test(trimmed)) {
    throw new CronScheduleError(
      "a time zone inside the schedule is refused by Kubernetes when timeZone is set. Fix: remove the TZ= prefix; the job runs in UTC",
    );
  }
  let expression = trimmed;
  if (trimmed.startsWith("@")) {
    const macro = CRON_MACROS[trimmed.toLowerCase()];
    if (macro === undefined) {
      throw new CronScheduleError(
        `${JSON.stringify(trimmed)} is not a schedule macro Kubernetes knows. Fix: use one of ${Object.keys(CRON_MACROS).join(", ")}, or five fields`,
      );
    }
    expression = macro;
  }
  const fields = expression.split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) {
    throw new CronScheduleError(
      `it has ${fields.length} field(s), but a Kubernetes schedule has 5: minute hour day-of-month month day-of-week. Fix: e.g. '0 * * * *' for hourly (no seconds or year field)`,
    );
  }
  const [minutes, hours, doms, months, dows] = CRON_FIELDS.map((field, i) =>
    expandField(field, fields[i]!),
  ) as [FieldValues, FieldValues, FieldValues, FieldValues, FieldValues];

  // croner reads the whole expression independently: a second opinion on the syntax. It spells
  // robfig's `a/n` (from a to the maximum, every n) as `a-max/n`.
  const forCroner = fields
    .map((text, i) =>
      text
        .split(",")
        .map((part) => part.replace(/^([0-9A-Za-z]+)\/([0-9]+)$/, `$1-${CRON_FIELDS[i]!.max}/$2`))
        .join(","),
    )
    .join(" ");
  try {
    new Cron(forCroner, { paused: true, utcOffset: 0, mode: "5-part" });
  } catch (error) {
    throw new CronScheduleError(
      `it is not a valid cron expression (${error instanceof Error ? error.message : String(error)}). Fix: use five fields: minute hour day-of-month month day-of-week`,
    );
  }

  // The times of day are the same on every day the schedule fires, so gaps follow from the sorted
  // times of day and the firing days. Day fields combine as in robfig/cron: when either is '*' or
  // '?', both must match; otherwise either may.
  const timesOfDay = [...hours.values]
    .flatMap((h) => [...minutes.values].map((m) => h * 3600 + m * 60))
    .sort((x, y) => x - y);
  const firingDays: number[] = [];
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const date = new Date(HORIZON_START + d * DAY_SECONDS * 1000);
    if (!months.values.has(date.getUTCMonth() + 1)) continue;
    const dom = doms.values.has(date.getUTCDate());
    const dow = dows.values.has(date.getUTCDay());
    if (doms.star || dows.star ? dom && dow : dom || dow) firingDays.push(d);
  }
  if (timesOfDay.length * firingDays.length < 2) {
    throw new CronScheduleError(
      "it never fires (or fires at most once in four years), e.g. because the day-of-month does not exist in the month. Fix: check the day-of-month and month fields",
    );
  }
  let shortest = Number.POSITIVE_INFINITY;
  let longest = 0;
  for (let i = 1; i < timesOfDay.length; i++) {
    const gap = timesOfDay[i]! - timesOfDay[i - 1]!;
    shortest = Math.min(shortest, gap);
    longest = Math.max(longest, gap);
  }
  // A schedule that fires on one day only waits the whole horizon for its next day.
  if (firingDays.length === 1) longest = HORIZON_DAYS * DAY_SECONDS;
  const first = timesOfDay[0]!;
  const last = timesOfDay[timesOfDay.length - 1]!;
  for (let i = 1; i < firingDays.length; i++) {
    const gap = (firingDays[i]! - firingDays[i - 1]!) * DAY_SECONDS - last + first;
    shortest = Math.min(shortest, gap);
    longest = Math.max(longest, gap);
  }
  return { expression, shortestGapSeconds: shortest, longestGapSeconds: longest };
}
