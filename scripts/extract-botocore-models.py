#!/usr/bin/env python3
"""Extracts, from botocore's service models, the request shapes of the API operations the AWS slice
calls, into test/aws-models/<service>.json: every shape reachable from those operations' inputs, with
their types, enums, patterns, lengths and ranges, and without documentation (the full models are
megabytes). The test `test/components/aws/botocore.test.ts` checks the components' values against them.

Usage: python3 scripts/extract-botocore-models.py [output-dir]
Needs botocore (Debian: python3-botocore; the newer the better: instance types and options are
added to the models as AWS launches them). Prints the botocore version it read.
"""
import json
import sys
from pathlib import Path

import botocore
from botocore.loaders import Loader

OPERATIONS = {
    "sagemaker": ["CreateFeatureGroup", "CreateModelPackageGroup", "PutModelPackageGroupPolicy",
                  "CreateMlflowTrackingServer", "CreateModel", "CreateEndpointConfig", "CreateEndpoint"],
    "batch": ["CreateComputeEnvironment", "CreateJobQueue", "CreateSchedulingPolicy", "RegisterJobDefinition", "SubmitJob"],
    "ecs": ["CreateCluster", "RegisterTaskDefinition"],
    "scheduler": ["CreateSchedule"],
    "cloudwatch": ["PutMetricAlarm", "PutDashboard"],
    "events": ["PutRule", "PutTargets"],
    "sns": ["CreateTopic", "Subscribe"],
    "kms": ["CreateKey", "ScheduleKeyDeletion", "CreateAlias"],
    "ecr": ["CreateRepository", "PutLifecyclePolicy"],
    "budgets": ["CreateBudget"],
    "application-autoscaling": ["RegisterScalableTarget", "PutScalingPolicy"],
    "eks": ["CreateNodegroup"],
    "logs": ["CreateLogGroup", "PutRetentionPolicy"],
}

KEEP = {"type", "enum", "pattern", "min", "max", "required", "member", "members", "key", "value", "shape",
        "flattened", "locationName"}


def strip(shape):
    out = {k: v for k, v in shape.items() if k in KEEP}
    if "members" in out:
        out["members"] = {name: {"shape": m["shape"]} for name, m in out["members"].items()}
    for k in ("member", "key", "value"):
        if k in out:
            out[k] = {"shape": out[k]["shape"]}
    return out


def extract(service, operations):
    loader = Loader()
    model = loader.load_service_model(service, "service-2")
    shapes = model["shapes"]
    seen = {}
    todo = []
    ops = {}
    for op in operations:
        name = model["operations"][op]["input"]["shape"]
        ops[op] = name
        todo.append(name)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        shape = strip(shapes[name])
        seen[name] = shape
        for m in shape.get("members", {}).values():
            todo.append(m["shape"])
        for k in ("member", "key", "value"):
            if k in shape:
                todo.append(shape[k]["shape"])
    return {
        "service": service,
        "apiVersion": model["metadata"]["apiVersion"],
        "botocoreVersion": botocore.__version__,
        "operations": ops,
        "shapes": dict(sorted(seen.items())),
    }


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "test/aws-models")
    out.mkdir(parents=True, exist_ok=True)
    for service, operations in OPERATIONS.items():
        data = extract(service, operations)
        (out / f"{service}.json").write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
        print(f"{service}: {len(data['shapes'])} shapes (botocore {botocore.__version__})")


if __name__ == "__main__":
    main()
