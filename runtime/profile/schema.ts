import { z } from "zod";

/**
 * The stored profile's JSON schema. `schemaVersion` changes whenever a field changes meaning, and a
 * runtime reads exactly the versions it knows, so a profile is never silently misread.
 */
export const PROFILE_KIND = "mlops-profile";
export const PROFILE_SCHEMA_VERSION = 1;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const count = z.number().int().nonnegative();
const cell = z.object({ row: count, value: z.string() }).nullable();

export const kllSketchSchema = z.object({
  k: z.number().int().min(8).max(65535),
  n: count,
  min: finite.nullable(),
  max: finite.nullable(),
  levels: z.array(z.array(finite)),
  rngState: z.number().int().nonnegative(),
});

export const columnProfileSchema = z.object({
  name: z.string().min(1),
  /** `empty` = no non-missing value was seen. */
  kind: z.enum(["numerical", "categorical", "empty"]),
  /** Whether the kind was given by the user rather than inferred. */
  kindDeclared: z.boolean(),
  rowCount: count,
  nullCount: count,
  nonFiniteCount: count,
  firstNonFinite: cell,
  /** Non-numeric cells (the type mismatches of a numerical column). */
  textCount: count,
  firstText: cell,
  numeric: z
    .object({
      count,
      mean: finite,
      /** Sum of squared deviations from the mean (population variance = m2 / count). */
      m2: finite.nonnegative(),
      min: finite,
      max: finite,
      sketch: kllSketchSchema,
      histogram: z.object({ edges: z.array(finite), counts: z.array(z.number().nonnegative()) }),
    })
    .nullable(),
  /** Every distinct value with its count, most frequent first; null when more than maxCategories were seen. */
  categories: z.array(z.tuple([z.string(), count])).nullable(),
});

export const profileSchema = z.object({
  kind: z.literal(PROFILE_KIND),
  schemaVersion: z.literal(PROFILE_SCHEMA_VERSION),
  /** Where the rows came from (several names after a merge). */
  sources: z.array(z.string()),
  rowCount: count,
  /** Set while the profile covers one shard only; null once whole or merged. */
  shard: z.object({ index: count, count: z.number().int().positive() }).nullable(),
  settings: z.object({
    kllK: z.number().int().min(8).max(65535),
    maxCategories: z.number().int().positive(),
    typeMismatchTolerance: z.number().min(0).max(1),
    nonFinite: z.enum(["error", "missing"]),
  }),
  columns: z.array(columnProfileSchema),
});

export type ProfileJson = z.infer<typeof profileSchema>;
export type ColumnProfileJson = z.infer<typeof columnProfileSchema>;
