/**
 * Least-privilege IAM: no administrator statements or wildcard actions in AWS policies, no AWS-managed
 * administrator policies, no local auth on Azure ML compute, GKE workload identity and no legacy ABAC, no
 * GCP primitive roles, no wildcard Kubernetes RBAC and no cluster-admin bindings.
 */

import type { ResourceCheck } from "../lib/rule";
import { resourceRule } from "../lib/rule";
import { AWS, AZURE, GCP, K8S } from "../lib/types";
import { elements, known, knownArray, present, probe, show } from "../lib/values";

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  NotAction?: string | string[];
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The policy documents a resource carries: `policy` (Policy, RolePolicy) or `inlinePolicies[].policy` (Role). */
function documents<C>(r: ResourceCheck<C>): { where: string; statements: Statement[] }[] {
  const raw: { where: string; doc: unknown }[] =
    r.type === AWS.iamRole
      ? knownArray(r.props, "inlinePolicies").map((p, i) => ({
          where: `inlinePolicies[${i}].policy`,
          doc: known(p, "policy"),
        }))
      : [{ where: "policy", doc: known(r.props, "policy") }];
  const out: { where: string; statements: Statement[] }[] = [];
  for (const { where, doc } of raw) {
    if (doc === undefined) {
      continue;
    }
    let parsed: unknown = doc;
    if (typeof doc === "string") {
      try {
        parsed = JSON.parse(doc);
      } catch {
        r.fail(
          `\`${where}\` is not valid JSON, so it cannot be checked. Build it with JSON.stringify or aws.iam.getPolicyDocument.`,
        );
        continue;
      }
    }
    const statement = (parsed as { Statement?: unknown }).Statement;
    out.push({
      where,
      statements: (Array.isArray(statement) ? statement : statement ? [statement] : []) as Statement[],
    });
  }
  return out;
}

const POLICY_TYPES = [AWS.iamPolicy, AWS.iamRolePolicy, AWS.iamRole];

export const awsIamNoAdminStatements = resourceRule({
  name: "aws-iam-no-admin-statements",
  theme: "iam",
  description:
    'IAM policies must not grant full administrative privileges ("Effect": "Allow", "Action": "*", "Resource": "*").',
  source: "checkov CKV_AWS_1 (AdminPolicyDocument); Pulumi best-practices iam-policy-least-privilege",
  unset:
    "No policy document passes. A document that is unknown during preview (built from other resources' ARNs) cannot be read: the rule reports \"can't run during preview\" and is evaluated on update.",
  severity: "critical",
  enforcementLevel: "mandatory",
  resourceTypes: POLICY_TYPES,
  validate(r) {
    for (const { where, statements } of documents(r)) {
      statements.forEach((s, i) => {
        if (s.Effect === "Allow" && list(s.Action).includes("*") && list(s.Resource).includes("*")) {
          r.fail(
            `\`${where}\` Statement[${i}] allows "*" on "*". Grant the specific actions and resources the workload needs.`,
          );
        }
      });
    }
  },
});

export const awsIamNoWildcardActions = resourceRule({
  name: "aws-iam-no-wildcard-actions",
  theme: "iam",
  description:
    'IAM policies must name their actions: no "*", "service:*" or "service:Get*". A justified wildcard needs an exemption with a reason, as cdk-nag requires a suppression with evidence.',
  source: "cdk-nag AwsSolutions-IAM5; checkov CKV_AWS_355 / CKV_AWS_290",
  unset:
    "No policy document passes; unknown documents are evaluated on update (see aws-iam-no-admin-statements).",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: POLICY_TYPES,
  validate(r) {
    for (const { where, statements } of documents(r)) {
      statements.forEach((s, i) => {
        if (s.Effect !== "Allow") {
          return;
        }
        const wild = list(s.Action).filter((a) => a.includes("*"));
        if (wild.length > 0) {
          r.fail(
            `\`${where}\` Statement[${i}] allows wildcard actions ${wild.map(show).join(", ")}. List the actions instead.`,
          );
        }
        if (list(s.NotAction).length > 0) {
          r.fail(
            `\`${where}\` Statement[${i}] uses NotAction with Allow, which grants every other action. Use Action.`,
          );
        }
      });
    }
  },
});

const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

function adminArn(arn: unknown): string | undefined {
  if (typeof arn !== "string") {
    return undefined;
  }
  return ADMIN_MANAGED_POLICIES.find(
    (p) => arn === `arn:aws:iam::aws:policy/${p}` || arn.endsWith(`:iam::aws:policy/${p}`),
  );
}

export const awsIamNoAdminManagedPolicies = resourceRule({
  name: "aws-iam-no-admin-managed-policies",
  theme: "iam",
  description:
    "Roles must not have the AWS-managed AdministratorAccess, IAMFullAccess or PowerUserAccess policies attached.",
  source: "checkov CKV_AWS_274 (AdministratorAccess), CKV2_AWS_56 (IAMFullAccess); cdk-nag AwsSolutions-IAM4",
  unset:
    "Passes when nothing is attached. An ARN that is unknown during preview is a policy created in this stack, never an AWS-managed one, so it passes.",
  severity: "critical",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.iamRolePolicyAttachment, AWS.iamRole],
  validate(r) {
    const arns =
      r.type === AWS.iamRole ? elements(r.props, "managedPolicyArns") : [probe(r.props, "policyArn")];
    for (const arn of arns) {
      const admin = arn.state === "known" ? adminArn(arn.value) : undefined;
      if (admin) {
        r.fail(
          `the AWS-managed policy ${admin} is attached. Attach a policy scoped to the workload instead.`,
        );
      }
    }
  },
});

export const azureMlComputeNoLocalAuth = resourceRule({
  name: "azure-ml-compute-no-local-auth",
  theme: "iam",
  description:
    "Azure ML compute must disable local (key-based) authentication so every access goes through Entra ID.",
  source: "checkov CKV_AZURE_142 (MLCCLADisabled)",
  unset: "`properties.disableLocalAuth` unset fails.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.mlCompute],
  validate(r) {
    if (known(r.props, ["properties", "disableLocalAuth"]) !== true) {
      r.fail("`properties.disableLocalAuth` is not true. Set it to true.");
    }
  },
});

export const gcpGkeWorkloadIdentity = resourceRule({
  name: "gcp-gke-workload-identity",
  theme: "iam",
  description:
    "GKE must use Workload Identity: clusters set a workload pool and node pools expose the GKE metadata server, so pods never see the node's service account.",
  source: "checkov CKV_GCP_69 (GKEMetadataServerIsEnabled); trivy GCP-0057",
  unset:
    'Cluster: `workloadIdentityConfig.workloadPool` unset fails (Autopilot clusters always have it). Node pool: `nodeConfig.workloadMetadataConfig.mode` unset fails, as in checkov; set "GKE_METADATA".',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.gkeCluster, GCP.gkeNodePool],
  validate(r) {
    if (r.type === GCP.gkeCluster) {
      if (
        known(r.props, "enableAutopilot") !== true &&
        !present(r.props, ["workloadIdentityConfig", "workloadPool"])
      ) {
        r.fail('`workloadIdentityConfig.workloadPool` is not set. Set it to "<project>.svc.id.goog".');
      }
      return;
    }
    const mode = known<string>(r.props, ["nodeConfig", "workloadMetadataConfig", "mode"]);
    if (mode !== "GKE_METADATA") {
      r.fail(
        `\`nodeConfig.workloadMetadataConfig.mode\` is ${show(mode ?? "unset")}; set it to "GKE_METADATA".`,
      );
    }
  },
});

export const gcpGkeNoLegacyAbac = resourceRule({
  name: "gcp-gke-no-legacy-abac",
  theme: "iam",
  description:
    "GKE clusters must not enable legacy ABAC, which grants broad static permissions outside RBAC.",
  source: "checkov CKV_GCP_7 (GKEDisableLegacyAuth)",
  unset: "`enableLegacyAbac` unset passes (default false).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.gkeCluster],
  validate(r) {
    if (known(r.props, "enableLegacyAbac") === true) {
      r.fail("`enableLegacyAbac` is true. Remove it and use RBAC.");
    }
  },
});

const PRIMITIVE_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);

export const gcpNoPrimitiveRoles = resourceRule({
  name: "gcp-no-primitive-roles",
  theme: "iam",
  description:
    "Project IAM grants must use predefined or custom roles, never the primitive Owner, Editor or Viewer roles.",
  source: "Pulumi best-practices GCP iam-no-broad-roles; checkov CKV_GCP_117 (basic roles at project level)",
  unset: "`role` is required by the provider; an unknown role is evaluated on update.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.projectIamMember, GCP.projectIamBinding],
  validate(r) {
    const role = known<string>(r.props, "role");
    if (role && PRIMITIVE_ROLES.has(role)) {
      r.fail(
        `\`role\` is the primitive role ${role}. Grant a predefined role such as roles/aiplatform.user instead.`,
      );
    }
  },
});

export const kubernetesRbacNoWildcards = resourceRule({
  name: "kubernetes-rbac-no-wildcards",
  theme: "iam",
  description: 'Roles and ClusterRoles must not use "*" in verbs, resources or apiGroups.',
  source:
    "checkov CKV_K8S_49 (minimize wildcard use in Roles and ClusterRoles); CIS Kubernetes Benchmark 5.1.3",
  unset: "A role with no `rules` passes.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [K8S.role, K8S.clusterRole],
  validate(r) {
    knownArray(r.props, "rules").forEach((rule, i) => {
      for (const field of ["verbs", "resources", "apiGroups"]) {
        if (knownArray(rule, field).includes("*")) {
          r.fail(`\`rules[${i}].${field}\` contains "*". List the ${field} explicitly.`);
        }
      }
    });
  },
});

export const kubernetesNoClusterAdminBinding = resourceRule({
  name: "kubernetes-no-cluster-admin-binding",
  theme: "iam",
  description: "Workloads must not be bound to the cluster-admin ClusterRole.",
  source: "CIS Kubernetes Benchmark 5.1.1 (cluster-admin only where required)",
  unset: "`roleRef` is required by Kubernetes; any role other than cluster-admin passes.",
  severity: "critical",
  enforcementLevel: "mandatory",
  resourceTypes: [K8S.roleBinding, K8S.clusterRoleBinding],
  validate(r) {
    if (known(r.props, ["roleRef", "name"]) === "cluster-admin") {
      r.fail("`roleRef.name` is cluster-admin. Bind a role with only the permissions needed.");
    }
  },
});

export const iamRules = [
  awsIamNoAdminStatements,
  awsIamNoWildcardActions,
  awsIamNoAdminManagedPolicies,
  azureMlComputeNoLocalAuth,
  gcpGkeWorkloadIdentity,
  gcpGkeNoLegacyAbac,
  gcpNoPrimitiveRoles,
  kubernetesRbacNoWildcards,
  kubernetesNoClusterAdminBinding,
];
