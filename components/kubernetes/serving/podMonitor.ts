/**
 * The Prometheus Operator `PodMonitor` (monitoring.coreos.com/v1) that scrapes the capture sidecars'
 * metrics port: what the canary analysis and the serving alerts read. Field names follow the
 * operator's CRD (`spec.selector`, `spec.namespaceSelector.matchNames`, `spec.podMetricsEndpoints[]`
 * with `port`, `path`, `interval`, `honorLabels`).
 */
import type * as pulumi from "@pulumi/pulumi";

/** Inputs of {@link servingPodMonitorSpec}. */
export interface ServingPodMonitorInputs {
  /** Labels that select the endpoint's pods. */
  selector: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Namespace of the pods. */
  namespace: string;
  /** Name of the sidecar's metrics container port. */
  portName: pulumi.Input<string>;
  /** Scrape interval, a Prometheus duration. */
  interval: string;
}

/** The PodMonitor's `spec`. */
export function servingPodMonitorSpec(i: ServingPodMonitorInputs) {
  return {
    selector: { matchLabels: i.selector },
    namespaceSelector: { matchNames: [i.namespace] },
    podMetricsEndpoints: [
      {
        port: i.portName,
        path: "/metrics",
        interval: i.interval,
        // The operator sets the target label `endpoint` to the port name ("metrics"). Without
        // honorLabels that would push the sidecar's own `endpoint` (the serving endpoint) to
        // `exported_endpoint`, and every alert and canary query selecting it would see nothing.
        honorLabels: true,
      },
    ],
  };
}
