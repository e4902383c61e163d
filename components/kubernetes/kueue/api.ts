/**
 * The subset of the Kueue API that {@link KubernetesTrainingCluster} writes, typed, because
 * `k8s.apiextensions.CustomResource` takes `any` for everything but `apiVersion` and `kind`.
 *
 * Field names follow `kueue.x-k8s.io/v1beta2` (kubernetes-sigs/kueue `apis/kueue/v1beta2`,
 * v0.19.2), the storage version since Kueue 0.15, where v1beta1 is deprecated. The one rename that
 * matters here: v1beta1's `ClusterQueue.spec.cohort` is `spec.cohortName` in v1beta2.
 */

/** API group and version of the Kueue objects. */
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta2";

/** The label a Job (or JobSet, RayJob, …) sets to be queued in a LocalQueue of its namespace. */
export const KUEUE_QUEUE_NAME_LABEL = "kueue.x-k8s.io/queue-name";

/** A node taint, as in `core/v1` Taint. */
export interface KueueTaint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A toleration, as in `core/v1` Toleration (Kueue refuses `value` with `Exists`). */
export interface KueueToleration {
  key: string;
  operator: "Exists" | "Equal";
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** `ResourceFlavor.spec`: which nodes a flavor's quota stands for. */
export interface ResourceFlavorSpec {
  /** Labels of the flavor's nodes; Kueue injects them as a node selector into admitted pods (at most 8). */
  nodeLabels?: Record<string, string>;
  /** Taints of the flavor's nodes; a workload must tolerate them to be assigned the flavor (at most 8). */
  nodeTaints?: KueueTaint[];
  /** Tolerations Kueue adds to admitted pods; when they match `nodeTaints`, those are not checked (at most 8). */
  tolerations?: KueueToleration[];
}

/** One resource's quota in one flavor of a ClusterQueue. */
export interface KueueResourceQuota {
  name: string;
  /** Quantity the queue is guaranteed. */
  nominalQuota: string | number;
  /** Most the queue may borrow from its cohort; unset means no limit (needs a cohort). */
  borrowingLimit?: string | number;
  /** Most of its unused quota the queue lends to its cohort; unset means all of it (needs a cohort). */
  lendingLimit?: string | number;
}

/** A group of resources and the flavors that provide them (every flavor lists every resource, in order). */
export interface KueueResourceGroup {
  coveredResources: string[];
  flavors: { name: string; resources: KueueResourceQuota[] }[];
}

/** `ClusterQueue.spec`. */
export interface ClusterQueueSpec {
  /** Name of the cohort whose members borrow each other's unused quota. */
  cohortName?: string;
  /** Namespaces allowed to submit; `{}` is all, unset is none. */
  namespaceSelector: { matchLabels?: Record<string, string> };
  queueingStrategy: "StrictFIFO" | "BestEffortFIFO";
  resourceGroups: KueueResourceGroup[];
  preemption: {
    reclaimWithinCohort: "Never" | "LowerPriority" | "Any";
    withinClusterQueue: "Never" | "LowerPriority" | "LowerOrNewerEqualPriority";
  };
}

/** `LocalQueue.spec`: the namespaced queue jobs name, pointing at a ClusterQueue. */
export interface LocalQueueSpec {
  clusterQueue: string;
}
