import type { ColumnProfileJson, ProfileJson } from "./schema";

/** One broken invariant of a stored profile: the JSON path of the field, and what is wrong with it. */
export interface ProfileProblem {
  /** `columns[2].numeric.histogram.edges[3]`, `columns[1].name`, `shard.index`. */
  field: string;
  problem: string;
}

/**
 * The invariants a profile written by `mlops profile` always holds beyond its schema (which checks only
 * types and ranges), so that a corrupt or hand-edited profile is refused when read rather than giving a
 * verdict: unique column names, each column's counts adding up to its rows, the first bad cell present
 * exactly when there are bad cells, numeric moments inside their bounds and matching the sketch, a
 * histogram with strictly increasing edges whose counts add up to the numeric count, and category
 * counts that are distinct, positive and add up to the non-missing cells they count.
 */
export function profileProblems(profile: ProfileJson): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  if (profile.shard !== null && profile.shard.index >= profile.shard.count) {
    problems.push({
      field: "shard.index",
      problem: `is ${profile.shard.index}, but a run of ${profile.shard.count} shards numbers them 0 to ${profile.shard.count - 1}`,
    });
  }
  const seen = new Map<string, number>();
  profile.columns.forEach((column, i) => {
    const first = seen.get(column.name);
    if (first !== undefined) {
      problems.push({
        field: `columns[${i}].name`,
        problem: `repeats the name of columns[${first}] (${quoteName(column.name)})`,
      });
    } else seen.set(column.name, i);
    problems.push(...columnProblems(column, `columns[${i}]`, profile.rowCount));
  });
  return problems;
}

function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}

function columnProblems(c: ColumnProfileJson, at: string, rowCount: number): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `${at}.${field}`, problem });
  const numericCount = c.numeric?.count ?? 0;
  if (c.rowCount !== rowCount) add("rowCount", `is ${c.rowCount}, but the profile has ${rowCount} rows`);
  const cells = c.nullCount + c.nonFiniteCount + c.textCount + numericCount;
  if (cells !== c.rowCount) {
    add(
      "rowCount",
      `is ${c.rowCount}, but nullCount ${c.nullCount} + nonFiniteCount ${c.nonFiniteCount} + textCount ${c.textCount} + numeric.count ${numericCount} = ${cells}`,
    );
  }
  if ((c.firstNonFinite !== null) !== c.nonFiniteCount > 0) {
    add(
      "firstNonFinite",
      `is ${c.firstNonFinite === null ? "null" : "set"} with nonFiniteCount ${c.nonFiniteCount}`,
    );
  }
  if ((c.firstText !== null) !== c.textCount > 0) {
    add("firstText", `is ${c.firstText === null ? "null" : "set"} with textCount ${c.textCount}`);
  }
  if (c.kind === "empty" && cells - c.nullCount > 0) {
    add("kind", `is "empty", but the column holds ${cells - c.nullCount} non-missing cells`);
  }
  if (c.numeric !== null) problems.push(...numericProblems(c.numeric, `${at}.numeric`));
  if (c.categories !== null) {
    const values = new Set<string>();
    let total = 0;
    c.categories.forEach(([value, count], j) => {
      if (values.has(value)) add(`categories[${j}]`, `repeats the value ${quoteName(value)}`);
      values.add(value);
      if (count === 0)
        add(`categories[${j}]`, `counts 0 rows of ${quoteName(value)}; a listed value was seen`);
      total += count;
    });
    if (total !== numericCount + c.textCount) {
      add(
        "categories",
        `count ${total} cells, but the column holds ${numericCount + c.textCount} (numeric.count + textCount)`,
      );
    }
  }
  return problems;
}

function numericProblems(n: NonNullable<ColumnProfileJson["numeric"]>, at: string): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `${at}.${field}`, problem });
  if (n.count === 0) add("count", "is 0, but a numeric summary is written only for a column with numbers");
  if (n.min > n.max) add("min", `is ${n.min}, above max ${n.max}`);
  else {
    // The mean of values in [min, max] lies there too, up to the rounding of its running update.
    const slack = 1e-9 * Math.max(1, Math.abs(n.min), Math.abs(n.max));
    if (n.mean < n.min - slack || n.mean > n.max + slack) {
      add("mean", `is ${n.mean}, outside [min ${n.min}, max ${n.max}]`);
    }
  }
  if (n.sketch.n !== n.count) add("sketch.n", `is ${n.sketch.n}, but count is ${n.count}`);
  if (n.sketch.min !== n.min || n.sketch.max !== n.max) {
    add(
      "sketch.min",
      `the sketch spans [${n.sketch.min}, ${n.sketch.max}], but the column [${n.min}, ${n.max}]`,
    );
  }
  const { edges, counts } = n.histogram;
  if (edges.length !== counts.length + 1 || counts.length === 0) {
    add(
      "histogram.edges",
      `holds ${edges.length} edges for ${counts.length} counts; there is one more edge than counts`,
    );
  }
  for (let i = 1; i < edges.length; i++) {
    if (!((edges[i] as number) > (edges[i - 1] as number))) {
      add(
        `histogram.edges[${i}]`,
        `is ${edges[i]}, not above edges[${i - 1}] ${edges[i - 1]}; edges strictly increase`,
      );
      break;
    }
  }
  const binned = counts.reduce((sum, x) => sum + x, 0);
  if (binned !== n.count) add("histogram.counts", `add up to ${binned}, but count is ${n.count}`);
  return problems;
}
