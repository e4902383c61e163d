/**
 * Where a GPU pool's nodes are, in the terms a Kueue ResourceFlavor and a pod spec need: one set of
 * exact node labels (a flavor's `nodeLabels` is a plain map, so it cannot say "any of these values"),
 * the GPU-node taint and the tolerations that pass it.
 */
import {
  type AcceleratorName,
  GPU_NODE_TAINT,
  type GpuToleration,
  gpuNodeScheduling,
  lookupAccelerator,
  machineTypeFor,
  NVIDIA_GPU_RESOURCE,
} from "../../core/accelerators";

/** Where the cluster runs; decides which node labels identify a GPU model. */
export type TrainingCloud = "aws" | "gcp" | "azure" | "kubernetes";

/** How pods reach one pool's nodes. */
export interface PoolPlacement {
  /** Exact labels of the pool's nodes: the flavor's `nodeLabels` and the jobs' node selector. */
  nodeSelector: Record<string, string>;
  /** Tolerations of the GPU-node taints, for the flavor (Kueue injects them) and for jobs. */
  tolerations: GpuToleration[];
  /** The taint the pool's nodes carry (GKE's own; the one this library puts on EKS/AKS pools). */
  nodeTaints: { key: string; value: string; effect: "NoSchedule" }[];
  /**
   * The machine type the labels pin, on clouds that select by machine type (`aws`, `azure`).
   * @default undefined (gcp and kubernetes select by GPU label)
   */
  machineType?: string;
  /** The extended resource to request, `nvidia.com/gpu`. */
  resourceName: string;
}

/**
 * The placement of a pool of `gpusPerNode` × `accelerator` nodes on `cloud`.
 *
 * - `aws`, `azure`: the machine type carrying exactly `gpusPerNode` GPUs (the catalogue's smallest
 *   such type, as `machineTypeFor` gives it to the cloud components), selected by `node.kubernetes.io/instance-type`.
 * - `gcp`: the `cloud.google.com/gke-accelerator` label; `gpusPerNode` must be a count GKE offers.
 * - `kubernetes`: the GPU Feature Discovery product label. GPUs sold in several board variants (A100,
 *   H100: SXM and PCIe) have several product values, which a flavor cannot express, so these need
 *   `nodeLabels`; any `gpusPerNode` is accepted, since the nodes are not from a catalogue.
 *
 * `nodeLabels`, when given, replaces the derived labels (e.g. for a node pool of another machine
 * type, or a label of your own); the tolerations still come from the catalogue.
 * @throws Error with the reason and the fix, for an accelerator the cloud does not sell, a GPU count
 * no machine type has, or a multi-variant GPU on `kubernetes` without `nodeLabels`.
 */
export function placePool(
  cloud: TrainingCloud,
  accelerator: AcceleratorName,
  gpusPerNode: number,
  nodeLabels?: Record<string, string>,
): PoolPlacement {
  let machineType: string | undefined;
  if (cloud === "aws") machineType = machineTypeFor("aws", accelerator, gpusPerNode).instanceType;
  else if (cloud === "azure") machineType = machineTypeFor("azure", accelerator, gpusPerNode).vmSize;
  else if (cloud === "gcp") machineTypeFor("gcp", accelerator, gpusPerNode);
  const scheduling = gpuNodeScheduling(cloud, accelerator, machineType ? { machineType } : {});
  const base = {
    tolerations: scheduling.tolerations,
    nodeTaints: [{ ...GPU_NODE_TAINT }],
    resourceName: NVIDIA_GPU_RESOURCE,
    ...(machineType ? { machineType } : {}),
  };
  if (nodeLabels) return { ...base, nodeSelector: { ...nodeLabels } };
  if (scheduling.affinity) {
    const values = lookupAccelerator(accelerator).kubernetes.gpuProductLabels;
    throw new Error(
      `${accelerator} comes in several board variants on GPU Feature Discovery-labelled nodes (nvidia.com/gpu.product = ${values.join(" or ")}), ` +
        "and a Kueue ResourceFlavor matches nodes by exact label values. Fix: set poolNodeLabels for this pool, " +
        `e.g. { "nvidia.com/gpu.product": "${values[0]}" }, or a label your node pool carries.`,
    );
  }
  return { ...base, nodeSelector: scheduling.nodeSelector };
}
