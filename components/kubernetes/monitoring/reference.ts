import { isDnsLabel } from "../../core/naming";

/** Where the drift job's container sees the reference when it is mounted from a volume. */
export const REFERENCE_MOUNT_PATH = "/var/lib/mlops/reference";

/**
 * How the drift job reads its reference. It reaches the pod in one of four ways:
 *
 * - `configmap://<name>/<key>`: a ConfigMap in the job's namespace, the key mounted as a file. Right
 *   for profiles (`mlops profile` output), which are small; a ConfigMap holds at most 1 MiB.
 * - `pvc://<claim>/<path>`: a file on a PersistentVolumeClaim in the job's namespace, mounted
 *   read-only. Right for large profiles and for raw reference data.
 * - `https://…`: downloaded by `mlops monitor-run` at the start of each run (e.g. a pre-signed
 *   object-store URL, or an internal artifact server). Needs egress from the job's pods.
 * - `s3://…`, `gs://…`, `az://…`, `abfss://…`: read by the runtime through the cloud's SDK with its
 *   default credential chain. The component gives the pod no cloud credentials: the cluster binds
 *   the job's ServiceAccount to a cloud identity (EKS Pod Identity or IRSA, GKE Workload Identity,
 *   Azure Workload Identity), and the job's pods need egress to the object store.
 */
export type ReferenceSource =
  | { kind: "configmap"; name: string; key: string; path: string }
  | { kind: "pvc"; claimName: string; subPath: string; path: string }
  | { kind: "https"; url: string; path: string }
  | { kind: "object"; url: string; path: string };

/** Why a `referenceUri` cannot be used, with the fix; `undefined` when it can. */
export function referenceProblem(uri: string): string | undefined {
  try {
    parseReferenceUri(uri);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const FIX =
  "Fix: use configmap://<configmap>/<key>, pvc://<claim>/<path/in/volume>, an https:// URL, or an s3://, gs://, az:// or abfss:// object";

/** Parses a `referenceUri` into the volume (if any) and the path the runtime is given. */
export function parseReferenceUri(uri: string): ReferenceSource {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(uri);
  if (!match) throw new Error(`is not a URI. ${FIX}`);
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  switch (scheme) {
    case "configmap": {
      const [name = "", key = "", ...more] = rest.split("/");
      if (!isDnsLabel(name) || !/^[-._a-zA-Z0-9]+$/.test(key) || more.length > 0) {
        throw new Error(
          "must be configmap://<configmap name>/<key>, e.g. configmap://fraud-reference/reference.profile.json. Fix: name the ConfigMap (a DNS label) and one key",
        );
      }
      return { kind: "configmap", name, key, path: `${REFERENCE_MOUNT_PATH}/${key}` };
    }
    case "pvc": {
      const slash = rest.indexOf("/");
      const claimName = slash < 0 ? rest : rest.slice(0, slash);
      const subPath = slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+/, "");
      if (!isDnsLabel(claimName) || subPath === "" || subPath.split("/").includes("..")) {
        throw new Error(
          "must be pvc://<claim name>/<path of the file in the volume>, e.g. pvc://training-data/reference/profile.json. Fix: name the claim and a file path without '..'",
        );
      }
      return { kind: "pvc", claimName, subPath, path: `${REFERENCE_MOUNT_PATH}/${subPath}` };
    }
    case "https":
      return { kind: "https", url: uri, path: uri };
    case "http":
      throw new Error(
        "is plain http, which would let anyone on the path swap the reference. Fix: serve it over https://",
      );
    case "s3":
    case "gs":
    case "az":
    case "abfss":
      if (!/^[^/?#]+\/[^?#]*[^/?#]$/.test(rest)) {
        throw new Error(
          `must name one object, ${scheme}://<bucket or container>/<key>, e.g. ${scheme}://ml-data/fraud/reference.profile.json. Fix: give the bucket and the object's key`,
        );
      }
      return { kind: "object", url: uri, path: uri };
    case "wasbs":
      throw new Error(
        "is a wasbs:// URI, which the runtime does not read. Fix: name the blob as az://<container>/<path> or abfss://<container>@<account>.dfs.core.windows.net/<path>",
      );
    default:
      throw new Error(`has the scheme ${JSON.stringify(scheme)}, which the drift job cannot read. ${FIX}`);
  }
}
