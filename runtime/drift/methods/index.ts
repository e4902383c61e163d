/**
 * The built-in drift methods, one file each, registered in the order the README table lists them. The engine
 * reaches every method through the registry only.
 */
import { chi2Contingency } from "./chi2_contingency";
import { chisquare } from "./chisquare";
import type { DriftMethod } from "./contract";
import { hellinger } from "./hellinger";
import { jensenshannon } from "./jensenshannon";
import { klDiv } from "./kl_div";
import { ks } from "./ks";
import { linf } from "./linf";
import { psi } from "./psi";
import { registerDriftMethod } from "./registry";
import { wasserstein } from "./wasserstein";
import { z } from "./z";

export const BUILTIN_DRIFT_METHODS: readonly DriftMethod[] = [
  ks,
  wasserstein,
  psi,
  klDiv,
  jensenshannon,
  hellinger,
  linf,
  chisquare,
  chi2Contingency,
  z,
];

for (const m of BUILTIN_DRIFT_METHODS) registerDriftMethod(m, true);

export type { Comparison, DriftMethod } from "./contract";
export {
  driftMethodNames,
  driftMethods,
  getDriftMethod,
  registerDriftMethod,
  unregisterDriftMethod,
} from "./registry";
