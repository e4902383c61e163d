/** Every rule case, from all case files. */
import type { Case } from "../fixtures";
import { awsCases } from "./aws";
import { azureCases } from "./azure";
import { gcpCases } from "./gcp";
import { kubernetesCases } from "./kubernetes";
import { podSecurityVersionCases } from "./podSecurityVersions";
import { stackCases } from "./stack";

export const allCases: Case[] = [
  ...awsCases,
  ...gcpCases,
  ...azureCases,
  ...kubernetesCases,
  ...podSecurityVersionCases,
  ...stackCases,
];
