/**
 * pulumi-mlops: typed Pulumi components for a whole MLOps platform.
 *
 * This module is the public API; nothing outside it is public.
 */
export * from "./core/accelerators";
export { DataClassification, MANAGED_BY, type StandardTags, TAG_KEYS } from "./core/tags";
export { type ArgsProblem, ArgsValidationError } from "./core/validation";
export * from "./kubernetes/featureStore";
export { VolumeAccessMode } from "./kubernetes/metadata";
export * from "./kubernetes/modelRegistry";
export * from "./kubernetes/monitoring";
export * from "./kubernetes/servingEndpoint";
export * from "./kubernetes/trainingCluster";
export * from "./platform";
export * from "./spec";
