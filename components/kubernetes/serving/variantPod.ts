/**
 * The pod of one model variant: the model server, and the capture sidecar in front of it on the pod's
 * serving port. Every request the Services route passes the sidecar, so request counts, latency and
 * the capture exist for any model server. The model server listens on the pod's own `model` port so
 * that the kubelet can probe it (a named probe port resolves only within the probed container); the
 * endpoint's NetworkPolicy admits only the sidecar's ports, so other pods cannot reach it.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type AcceleratorName, gpuNodeScheduling, type SchedulingTarget } from "../../core/accelerators";
import { scaleCpu } from "../quantity";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import type { ModelServer } from "../servingEndpoint";
import { POD_TEMPLATE_HASH_LABEL } from "./canary";

/** Port the capture sidecar listens on; the Services target it by the name `http`. */
export const SERVING_PORT = 8080;
/** Port of the sidecar's `/metrics` and `/healthz`, named `metrics`. */
export const METRICS_PORT = 9090;
/** Name of the metrics container port, which monitoring scrapes. */
export const METRICS_PORT_NAME = "metrics";
/** Name of the model container's port, which its probes use. */
export const MODEL_PORT_NAME = "model";
/** Where the capture volume is mounted in the sidecar. */
export const CAPTURE_MOUNT_PATH = "/capture";

/** Inputs of {@link variantPodSpec}. */
export interface VariantPodInputs {
  endpoint: string;
  variant: string;
  modelUri: string;
  modelServer: ModelServer;
  image: string;
  modelPort: number;
  healthPath: string;
  registryUri?: pulumi.Input<string>;
  runtimeImage: string;
  samplePercent: number;
  /** Claim of the capture volume; unset when capture is off. */
  captureClaimName?: pulumi.Input<string>;
  serviceAccountName: pulumi.Input<string>;
  cpu: string;
  memory: string;
  accelerator?: AcceleratorName;
  gpusPerReplica: number;
  schedulingTarget: SchedulingTarget;
}

/** Seconds the sidecar keeps serving after SIGTERM while endpoints are withdrawn, then drains. */
const SHUTDOWN_DELAY_MS = 5000;
const DRAIN_TIMEOUT_MS = 20_000;

/** The variant's pod spec; typed by `@pulumi/kubernetes` so every field name is the API's own. */
export function variantPodSpec(i: VariantPodInputs): k8s.types.input.core.v1.PodSpec {
  const gpu = i.accelerator ? gpuNodeScheduling(i.schedulingTarget, i.accelerator) : undefined;
  // Named probe ports resolve only within the probed container: each container probes its own ports.
  const onModel = (path: string) => ({ httpGet: { path, port: MODEL_PORT_NAME } });
  const onSidecar = (path: string) => ({ httpGet: { path, port: "http" } });

  const modelEnv: k8s.types.input.core.v1.EnvVar[] = [
    { name: "HOME", value: "/tmp" },
    { name: "TMPDIR", value: "/tmp" },
    ...(i.registryUri !== undefined ? [{ name: "MLFLOW_TRACKING_URI", value: i.registryUri }] : []),
    ...(i.modelServer === "custom"
      ? [
          { name: "MODEL_URI", value: i.modelUri },
          { name: "MODEL_HOST", value: "0.0.0.0" },
          { name: "MODEL_PORT", value: String(i.modelPort) },
        ]
      : []),
  ];
  const model: k8s.types.input.core.v1.Container = {
    name: "model",
    image: i.image,
    ...(i.modelServer === "mlflow"
      ? {
          command: ["mlflow"],
          args: [
            "models",
            "serve",
            "-m",
            i.modelUri,
            "--host",
            "0.0.0.0",
            "--port",
            String(i.modelPort),
            "--env-manager",
            "local",
          ],
        }
      : {}),
    env: modelEnv,
    ports: [{ name: MODEL_PORT_NAME, containerPort: i.modelPort, protocol: "TCP" }],
    startupProbe: {
      ...onModel(i.healthPath),
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 90,
    },
    readinessProbe: {
      ...onModel(i.healthPath),
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
    },
    livenessProbe: {
      ...onModel(i.healthPath),
      periodSeconds: 20,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    // The CPU limit leaves room for bursts (4x the request) but bounds a runaway model.
    resources: {
      requests: { cpu: i.cpu, memory: i.memory },
      limits: {
        cpu: scaleCpu(i.cpu, 4),
        memory: i.memory,
        ...(gpu ? { [gpu.resourceName]: String(i.gpusPerReplica) } : {}),
      },
    },
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };

  const capturing = i.samplePercent > 0 && i.captureClaimName !== undefined;
  const sidecar: k8s.types.input.core.v1.Container = {
    name: "capture",
    image: i.runtimeImage,
    // The runtime image's entrypoint is the `mlops` runtime CLI; only the arguments are given.
    args: [
      "capture",
      `--listen=${SERVING_PORT}`,
      `--upstream=http://127.0.0.1:${i.modelPort}`,
      `--endpoint=${i.endpoint}`,
      `--variant=${i.variant}`,
      `--sample=${capturing ? i.samplePercent : 0}`,
      ...(capturing ? [`--out=${CAPTURE_MOUNT_PATH}`] : []),
      `--metrics-port=${METRICS_PORT}`,
      `--health-path=${i.healthPath}`,
      "--revision=$(MLOPS_REVISION)",
      "--instance=$(POD_NAME)",
      `--shutdown-delay=${SHUTDOWN_DELAY_MS}`,
      `--drain-timeout=${DRAIN_TIMEOUT_MS}`,
    ],
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      {
        name: "MLOPS_REVISION",
        valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_TEMPLATE_HASH_LABEL}']` } },
      },
    ],
    ports: [
      { name: "http", containerPort: SERVING_PORT, protocol: "TCP" },
      { name: METRICS_PORT_NAME, containerPort: METRICS_PORT, protocol: "TCP" },
    ],
    // Ready only when the model answers its health check through the proxy.
    readinessProbe: {
      ...onSidecar(i.healthPath),
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
    },
    livenessProbe: {
      httpGet: { path: "/healthz", port: METRICS_PORT_NAME },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: capturing ? [{ name: "capture", mountPath: CAPTURE_MOUNT_PATH }] : [],
  };

  return {
    serviceAccountName: i.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext(),
    terminationGracePeriodSeconds: Math.ceil((SHUTDOWN_DELAY_MS + DRAIN_TIMEOUT_MS) / 1000) + 15,
    containers: [model, sidecar],
    volumes: [
      { name: "tmp", emptyDir: {} },
      ...(capturing ? [{ name: "capture", persistentVolumeClaim: { claimName: i.captureClaimName! } }] : []),
    ],
    ...(gpu
      ? {
          nodeSelector: gpu.nodeSelector,
          tolerations: gpu.tolerations,
          ...(gpu.affinity ? { affinity: gpu.affinity } : {}),
        }
      : {}),
  };
}
