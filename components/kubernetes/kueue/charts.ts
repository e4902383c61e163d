/**
 * Pinned Helm charts of the optional cluster add-ons, each checked against the project's own
 * repository (chart `version` in `Chart.yaml` at the release tag, install instructions in its README).
 */

/**
 * Kueue, from the OCI registry the Kueue README names (`charts/kueue/README.md` at v0.19.2:
 * `helm install kueue oci://registry.k8s.io/kueue/charts/kueue --version="0.19.2"`). 0.19 serves
 * `kueue.x-k8s.io/v1beta2`, which the queues here are written in.
 */
export const KUEUE_CHART = {
  chart: "oci://registry.k8s.io/kueue/charts/kueue",
  version: "0.19.2",
} as const;

/**
 * The NVIDIA device plugin (`deployments/helm/nvidia-device-plugin/Chart.yaml` at v0.20.0), from the
 * Helm repository its README adds (`helm repo add nvdp https://nvidia.github.io/k8s-device-plugin`).
 * Its `gfd.enabled` value also deploys GPU Feature Discovery (and Node Feature Discovery), which writes
 * the `nvidia.com/gpu.product` labels that the `kubernetes` scheduling target selects on.
 */
export const DEVICE_PLUGIN_CHART = {
  chart: "nvidia-device-plugin",
  repo: "https://nvidia.github.io/k8s-device-plugin",
  version: "0.20.0",
} as const;
