/**
 * The built-in drift methods, one file each, registered in the order the README table lists them. The engine
 * reaches every method through the registry only.
 */
import { anderson } from "./anderson";
import { chi2Contingency } from "./chi2_contingency";
import { chisquare } from "./chisquare";
import type { DriftMethod } from "./contract";
import { cramerVonMises } from "./cramer_von_mises";
import { ed } from "./ed";
import { empiricalMmd } from "./empirical_mmd";
import { es } from "./es";
import { fisherExact } from "./fisher_exact";
import { gTestMethod } from "./g_test";
import { hellinger } from "./hellinger";
import { jensenshannon } from "./jensenshannon";
import { klDiv } from "./kl_div";
import { ks } from "./ks";
import { linf } from "./linf";
import { mannw } from "./mannw";
import { psi } from "./psi";
import { registerDriftMethod } from "./registry";
import { tTestMethod } from "./t_test";
import { tvd } from "./tvd";
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
  anderson,
  cramerVonMises,
  ed,
  es,
  mannw,
  tTestMethod,
  empiricalMmd,
  fisherExact,
  gTestMethod,
  tvd,
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
