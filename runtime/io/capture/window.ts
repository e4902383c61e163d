import { RuntimeInputError } from "../../errors";

const HOUR_MS = 3_600_000;
const DURATION = /^(\d+)(m|h|d)$/;

/** A half-open time window [from, to) in epoch milliseconds. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * The hour a capture file belongs to, from the last `yyyy/mm/dd/hh/` in its path (the layout of
 * SageMaker data capture, the Azure ML data collector and the capture sidecar, all in UTC), as the
 * hour's start in epoch milliseconds; undefined when the path has no such partition.
 */
export function partitionHour(path: string): number | undefined {
  const matches = [...path.matchAll(/\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//g)];
  const last = matches[matches.length - 1];
  if (last === undefined) return undefined;
  const [, year, month, day, hour] = last.map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return undefined;
  return Date.UTC(year, month - 1, day, hour);
}

/** Parses `--since` / `--until`: an ISO 8601 time, or a duration before `now` (`90m`, `24h`, `7d`). */
export function parseTimeBound(value: string, flag: string, now: Date): number {
  const duration = DURATION.exec(value.trim());
  if (duration !== null) {
    const unit = { m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS }[duration[2] as "m" | "h" | "d"];
    return now.getTime() - Number(duration[1]) * unit;
  }
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim()) || Number.isNaN(time)) {
    throw new RuntimeInputError({
      source: flag,
      problem: `"${value}" is neither an ISO 8601 time nor a duration`,
      fix: "Write e.g. 2026-12-03T09:00:00Z, or 24h / 90m / 7d before now",
    });
  }
  return time;
}

/**
 * The window `--since` / `--until` select. A file's hour is in the window when it overlaps it, so
 * `--since 2026-12-03T09:30Z` still reads the 09 partition.
 */
export function captureWindow(since: string | undefined, until: string | undefined, now: Date): TimeWindow {
  const from = since === undefined ? Number.NEGATIVE_INFINITY : parseTimeBound(since, "--since", now);
  const to = until === undefined ? Number.POSITIVE_INFINITY : parseTimeBound(until, "--until", now);
  if (!(from < to)) {
    throw new RuntimeInputError({
      source: "--since/--until",
      problem: `the window is empty (${since ?? "the start"} is not before ${until ?? "the end"})`,
      fix: "Give --since earlier than --until",
    });
  }
  return { from, to };
}

/** True when the hour partition of `path` overlaps the window (paths without one are kept only by an open window). */
export function inWindow(path: string, window: TimeWindow): boolean {
  const hour = partitionHour(path);
  if (hour === undefined)
    return window.from === Number.NEGATIVE_INFINITY && window.to === Number.POSITIVE_INFINITY;
  return hour + HOUR_MS > window.from && hour < window.to;
}
