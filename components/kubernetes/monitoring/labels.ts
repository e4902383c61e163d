import type * as k8s from "@pulumi/kubernetes";
import { isDnsLabel } from "../../core/naming";

/** Where the drift job's container sees the labels when they come from a volume (read-only). */
export const LABELS_MOUNT_PATH = "/var/lib/mlops/labels";

/** The extensions `mlops monitor-run --labels` reads a format from (runtime/io/open.ts). */
const LABEL_EXTENSIONS = [".csv", ".jsonl", ".ndjson", ".parquet", ".pq"] as const;

/**
 * How the drift job reads the labels file it joins with the capture (`mlops monitor-run --labels`).
 * The runtime opens a local file or one object in object storage, and takes the format from the
 * extension, so the labels reach the pod in one of three ways:
 *
 * - `pvc://<claim>/<path>`: a file on a PersistentVolumeClaim in the job's namespace, mounted
 *   read-only: where a labelling pipeline keeps appending.
 * - `configmap://<name>/<key>`: a ConfigMap key mounted as a file (at most 1 MiB; a mounted
 *   ConfigMap follows its updates, unlike a `subPath` mount).
 * - `s3://`, `gs://`, `az://` or `abfss://`: read by the runtime's object-store clients with the
 *   credentials the pod gets from the cluster (e.g. an EKS Pod Identity association or a GKE
 *   Workload Identity IAM binding for the drift job's ServiceAccount); the component adds none.
 */
export type LabelsSource =
  | { kind: "configmap"; name: string; key: string; path: string }
  | { kind: "pvc"; claimName: string; subPath: string; path: string }
  | { kind: "object"; path: string };

const FIX =
  "Fix: use pvc://<claim>/<path/labels.csv>, configmap://<configmap>/<key.csv> or an s3://, gs://, az:// or abfss:// object";

function formatProblem(file: string): string | undefined {
  const lower = file.toLowerCase();
  return LABEL_EXTENSIONS.some((e) => lower.endsWith(e))
    ? undefined
    : `names a file without a .csv, .jsonl, .ndjson, .parquet or .pq extension, so monitor-run cannot tell its format. Fix: name the labels file with the extension of its format, e.g. labels.csv`;
}

/** Parses a `labelsUri` into the volume (if any) and the path `monitor-run --labels` is given; throws the problem and its fix. */
export function parseLabelsUri(uri: string): LabelsSource {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(uri);
  if (!match) throw new Error(`is not a URI. ${FIX}`);
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  let source: LabelsSource;
  switch (scheme) {
    case "configmap": {
      const [name = "", key = "", ...more] = rest.split("/");
      if (!isDnsLabel(name) || !/^[-._a-zA-Z0-9]+$/.test(key) || more.length > 0) {
        throw new Error(
          "must be configmap://<configmap name>/<key>, e.g. configmap://fraud-labels/labels.csv. Fix: name the ConfigMap (a DNS label) and one key",
        );
      }
      source = { kind: "configmap", name, key, path: `${LABELS_MOUNT_PATH}/${key}` };
      break;
    }
    case "pvc": {
      const slash = rest.indexOf("/");
      const claimName = slash < 0 ? rest : rest.slice(0, slash);
      const subPath = slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+/, "");
      if (!isDnsLabel(claimName) || subPath === "" || subPath.split("/").includes("..")) {
        throw new Error(
          "must be pvc://<claim name>/<path of the file in the volume>, e.g. pvc://fraud-labels/labels/labels.csv. Fix: name the claim and a file path without '..'",
        );
      }
      source = { kind: "pvc", claimName, subPath, path: `${LABELS_MOUNT_PATH}/${subPath}` };
      break;
    }
    case "s3":
    case "gs":
    case "az":
    case "abfss":
      if (rest === "" || rest.startsWith("/")) {
        throw new Error(`has no bucket or container. ${FIX}`);
      }
      source = { kind: "object", path: uri };
      break;
    case "http":
    case "https":
      throw new Error(
        `is an ${scheme}:// URL, which monitor-run --labels does not download (it reads a file or an object-store object). ${FIX}`,
      );
    default:
      throw new Error(`has the scheme ${JSON.stringify(scheme)}, which the drift job cannot read. ${FIX}`);
  }
  const problem = formatProblem(source.kind === "configmap" ? source.key : source.path);
  if (problem !== undefined) throw new Error(problem);
  return source;
}

/**
 * A value as a container argument: Kubernetes expands `$(VAR)` in `args` from the container's
 * environment, and `$$` is its escape, so a column named `$(HOME)` reaches the runtime as written.
 */
export function literalArg(value: string): string {
  return value.replace(/\$/g, () => "$$");
}

/** The drift job's labels: the volume and mount (none for an object) and the `monitor-run` arguments. */
export function labelsJobParts(labels: { source: LabelsSource; key: string; column: string } | undefined): {
  volumes: k8s.types.input.core.v1.Volume[];
  mounts: k8s.types.input.core.v1.VolumeMount[];
  args: string[];
} {
  if (labels === undefined) return { volumes: [], mounts: [], args: [] };
  const { source } = labels;
  const mount = { name: "labels", mountPath: LABELS_MOUNT_PATH, readOnly: true };
  const volumes: k8s.types.input.core.v1.Volume[] =
    source.kind === "configmap"
      ? [{ name: "labels", configMap: { name: source.name, items: [{ key: source.key, path: source.key }] } }]
      : source.kind === "pvc"
        ? [{ name: "labels", persistentVolumeClaim: { claimName: source.claimName, readOnly: true } }]
        : [];
  return {
    volumes,
    mounts: volumes.length > 0 ? [mount] : [],
    args: [
      `--labels=${literalArg(source.path)}`,
      `--label-key=${literalArg(labels.key)}`,
      `--label-column=${literalArg(labels.column)}`,
    ],
  };
}
