/**
 * The mlops-governance policy pack.
 *
 * This module only builds the pack: constructing `PolicyPack` reads `./package.json` for the version and starts
 * the analyzer's gRPC server (printing its port), which is what `pulumi preview --policy-pack policies` and
 * `mlops check` expect. Tests and tools import the rules from `./rules` instead.
 *
 * Enforcement levels are set per rule (see README.md); `config/{dev,staging,prod}.json` adjust them per
 * environment through `--policy-pack-config`.
 */
import { PolicyPack } from "@pulumi/policy";
import { allRules } from "./rules";

new PolicyPack("mlops-governance", {
  description:
    "Governance for pulumi-mlops platforms on AWS, GCP, Azure and Kubernetes: encryption, network isolation, least privilege, logging, residency, tagging, cost, ML operations and Pod Security.",
  displayName: "MLOps governance",
  tags: ["mlops", "security", "cost", "kubernetes"],
  policies: [...allRules],
});
