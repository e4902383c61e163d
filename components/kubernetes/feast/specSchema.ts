/**
 * Validation of the neutral {@link FeatureStoreSpec} for Feast: the rules Feast itself enforces only
 * when `feast apply` runs inside the cluster (unique names, known entities, a single join key), checked
 * at construction so a typo fails `pulumi preview` instead of a crash-looping init container.
 */
import { z } from "zod";
import { FeatureValueType } from "../../spec";

/** A Feast object name: the spec's `[a-z][a-z0-9_]*`, which is also a valid Python identifier fragment. */
export const FEAST_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** A Feast object or column name; the generated Python refers to objects through prefixed variables, so keywords are safe. */
const identifierSchema = (what: string) =>
  z
    .string()
    .regex(
      FEAST_NAME_PATTERN,
      `is not a valid ${what} name. Fix: use lowercase letters, digits and '_', starting with a letter (e.g. 'customer_stats')`,
    )
    .max(63, `is too long for a ${what} name. Fix: use at most 63 characters`);

const valueTypeSchema = z.enum(FeatureValueType);

/**
 * A path under the offline store: relative, no `..`, no scheme. The component prefixes it with the
 * volume's mount path or the `offlineStoreUri`.
 */
const sourcePathSchema = z
  .string()
  .min(
    1,
    "must not be empty. Fix: give the Parquet path relative to the offline store, e.g. 'customers/stats.parquet'",
  )
  .refine(
    (p) => !p.startsWith("/") && !p.includes("://") && !p.split("/").includes("..") && !/\s/.test(p),
    "must be a path relative to the offline store, without '..', a leading '/', a URI scheme or spaces. Fix: e.g. 'customers/stats.parquet'; set offlineStoreUri for object storage",
  );

const entitySchema = z.strictObject({
  name: identifierSchema("entity"),
  joinKeys: z
    .array(identifierSchema("join key"))
    .min(1, "must name the entity's key column. Fix: e.g. ['customer_id']")
    .max(
      1,
      "has more than one join key, which Feast does not support (an Entity takes exactly one join key). Fix: use one key column, or combine the keys into one column upstream",
    ),
  valueType: valueTypeSchema.default("int64"),
  description: z.string().default(""),
});

const featureSchema = z.strictObject({
  name: identifierSchema("feature"),
  type: valueTypeSchema,
});

const featureViewSchema = z.strictObject({
  name: identifierSchema("feature view"),
  entities: z
    .array(identifierSchema("entity"))
    .min(1, "must name at least one entity. Fix: list the entities (from `entities`) the view is keyed by"),
  features: z
    .array(featureSchema)
    .min(1, "must have at least one feature. Fix: list the view's feature columns"),
  ttlSeconds: z
    .number()
    .int("must be a whole number of seconds. Fix: e.g. 86400 for one day")
    .min(0, "must not be negative. Fix: use 0 for values that never expire, or a positive number of seconds")
    .default(86400),
  sourcePath: sourcePathSchema,
  timestampField: identifierSchema("timestamp column"),
  online: z.boolean().default(true),
});

/** Finds the duplicates in `values`, each once, in first-seen order. */
function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** The entities and feature views of a {@link FeatureStoreSpec}, with the cross-field rules. */
export const featureStoreSpecShape = {
  entities: z
    .array(entitySchema)
    .min(1, "must declare at least one entity. Fix: e.g. [{ name: 'customer', joinKeys: ['customer_id'] }]"),
  featureViews: z.array(featureViewSchema),
};

/** The parsed spec fields, defaults applied. */
export interface ParsedFeatureStoreSpec {
  entities: z.output<typeof entitySchema>[];
  featureViews: z.output<typeof featureViewSchema>[];
}

/**
 * Adds the rules that span fields: unique entity, view and feature names, views naming declared
 * entities, and feature columns that do not shadow a join key or the timestamp column.
 */
export function checkFeatureStoreSpec(spec: ParsedFeatureStoreSpec, ctx: z.RefinementCtx): void {
  for (const name of duplicates(spec.entities.map((e) => e.name))) {
    const index = spec.entities.findLastIndex((e) => e.name === name);
    ctx.addIssue({
      code: "custom",
      path: ["entities", index, "name"],
      message: `entity '${name}' is declared twice. Fix: give each entity a unique name`,
    });
  }
  for (const name of duplicates(spec.featureViews.map((v) => v.name))) {
    const index = spec.featureViews.findLastIndex((v) => v.name === name);
    ctx.addIssue({
      code: "custom",
      path: ["featureViews", index, "name"],
      message: `feature view '${name}' is declared twice (Feast view names are unique per project). Fix: rename one of them`,
    });
  }
  const entities = new Map(spec.entities.map((e) => [e.name, e]));
  const declared = spec.entities.map((e) => `'${e.name}'`).join(", ");
  spec.featureViews.forEach((view, v) => {
    view.entities.forEach((entityName, i) => {
      if (!entities.has(entityName)) {
        ctx.addIssue({
          code: "custom",
          path: ["featureViews", v, "entities", i],
          message: `names unknown entity '${entityName}'. Fix: use one of the declared entities (${declared}) or declare it in \`entities\``,
        });
      }
    });
    for (const name of duplicates(view.entities)) {
      ctx.addIssue({
        code: "custom",
        path: ["featureViews", v, "entities"],
        message: `lists entity '${name}' twice. Fix: list each entity once`,
      });
    }
    for (const name of duplicates(view.features.map((f) => f.name))) {
      const index = view.features.findLastIndex((f) => f.name === name);
      ctx.addIssue({
        code: "custom",
        path: ["featureViews", v, "features", index, "name"],
        message: `feature '${name}' is declared twice in view '${view.name}'. Fix: give each feature a unique name`,
      });
    }
    const joinKeyList = view.entities.flatMap((e) => entities.get(e)?.joinKeys ?? []);
    for (const key of duplicates(joinKeyList)) {
      ctx.addIssue({
        code: "custom",
        path: ["featureViews", v, "entities"],
        message: `has two entities with the join key '${key}', which Feast cannot tell apart in one view. Fix: give the entities distinct join key columns`,
      });
    }
    const joinKeys = new Set(joinKeyList);
    view.features.forEach((feature, f) => {
      if (joinKeys.has(feature.name) || feature.name === view.timestampField) {
        ctx.addIssue({
          code: "custom",
          path: ["featureViews", v, "features", f, "name"],
          message: `feature '${feature.name}' has the name of ${feature.name === view.timestampField ? "the view's timestamp column" : "a join key of the view's entities"}, which Feast would not treat as a feature. Fix: rename the feature`,
        });
      }
    });
    if (joinKeys.has(view.timestampField)) {
      ctx.addIssue({
        code: "custom",
        path: ["featureViews", v, "timestampField"],
        message: `'${view.timestampField}' is a join key of the view's entities, not an event timestamp column. Fix: name the source's event-time column`,
      });
    }
  });
}
