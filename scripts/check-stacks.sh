#!/usr/bin/env bash
# Runs `mlops check` under a policy config (default: prod) over every stack in stacks/ and every
# example program, as compliance reviewers' CI does. Exits non-zero on any mandatory violation.
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-policies/config/prod.json}"
status=0
for file in stacks/Pulumi.*.yaml; do
  stack="$(basename "$file" .yaml)"; stack="${stack#Pulumi.}"
  echo "== stacks/ -s ${stack}"
  node bin/mlops.cjs check --stack "$stack" --policy-pack-config "$config" | tail -n 3 || status=1
done
for project in examples/*/Pulumi.yaml; do
  dir="$(dirname "$project")"
  for file in "$dir"/Pulumi.*.yaml; do
    stack="$(basename "$file" .yaml)"; stack="${stack#Pulumi.}"
    echo "== ${dir} -s ${stack}"
    node bin/mlops.cjs check --program "$dir" --stack "$stack" --policy-pack-config "$config" | tail -n 3 || status=1
  done
done
exit "$status"
