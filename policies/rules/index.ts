/**
 * Every rule of the pack, in theme order. `policies/index.ts` serves this array; tests and `mlops check`
 * import it directly (importing `policies/index.ts` would start the analyzer's gRPC server).
 */
import type { MlopsPolicy } from "../lib/rule";
import { costRules } from "./cost";
import { encryptionRules } from "./encryption";
import { iamRules } from "./iam";
import { kubernetesRules } from "./kubernetes";
import { loggingRules } from "./logging";
import { mlRules } from "./ml";
import { networkRules } from "./network";
import { residencyRules } from "./residency";
import { taggingRules } from "./tagging";

export {
  costRules,
  encryptionRules,
  iamRules,
  kubernetesRules,
  loggingRules,
  mlRules,
  networkRules,
  residencyRules,
  taggingRules,
};

/** All rules of the mlops-governance pack. */
export const allRules: readonly MlopsPolicy[] = [
  ...encryptionRules,
  ...networkRules,
  ...iamRules,
  ...loggingRules,
  ...residencyRules,
  ...taggingRules,
  ...costRules,
  ...mlRules,
  ...kubernetesRules,
];
