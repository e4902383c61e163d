import type * as pulumi from "@pulumi/pulumi";
import { kubernetesAnnotations, kubernetesLabels, type StandardTags } from "../core/tags";

/** Access modes of a PersistentVolumeClaim that this library creates. */
export const VolumeAccessMode = { ReadWriteOnce: "ReadWriteOnce", ReadWriteMany: "ReadWriteMany" } as const;
/** An access mode of a PersistentVolumeClaim. */
export type VolumeAccessMode = (typeof VolumeAccessMode)[keyof typeof VolumeAccessMode];

/** The recommended `app.kubernetes.io/*` labels that select one workload of a component. */
export function selectorLabels(app: string, instance: string): Record<string, string> {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": instance };
}

/**
 * Object metadata with the governance labels and annotations, the recommended labels and a
 * deterministic name (Kubernetes names are stable identities: Services resolve by them).
 */
export function objectMeta(args: {
  name: string;
  namespace?: pulumi.Input<string>;
  tags: StandardTags;
  app: string;
  instance: string;
  component?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, pulumi.Input<string>>;
}) {
  return {
    name: args.name,
    ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
    labels: {
      ...kubernetesLabels(args.tags),
      ...selectorLabels(args.app, args.instance),
      ...(args.component ? { "app.kubernetes.io/component": args.component } : {}),
      "app.kubernetes.io/part-of": "pulumi-mlops",
      ...(args.labels ?? {}),
    },
    annotations: { ...kubernetesAnnotations(args.tags), ...(args.annotations ?? {}) },
  };
}
