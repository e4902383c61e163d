import type * as k8s from "@pulumi/kubernetes";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACCELERATOR_CLOUDS,
  ACCELERATOR_NAMES,
  type AcceleratorName,
  acceleratorsOfferedOn,
  GFD_PRODUCT_LABEL,
  GKE_ACCELERATOR_LABEL,
  GPU_NODE_TAINT,
  type GpuNodeScheduling,
  type GpuToleration,
  gpuNodeScheduling,
  INSTANCE_TYPE_LABEL,
  isAcceleratorName,
  lookupAccelerator,
  MACHINE_TYPE_TARGETS,
  type MachineTypeTarget,
  machineTypeFor,
  machineTypeOptions,
  NVIDIA_GPU_RESOURCE,
  SCHEDULING_TARGETS,
  type SchedulingTarget,
} from "../../../components/core/accelerators";

/** Every (accelerator, machine-type target) pair the catalogue claims is offered. */
function offeredPairs(): [AcceleratorName, MachineTypeTarget][] {
  const pairs: [AcceleratorName, MachineTypeTarget][] = [];
  for (const name of ACCELERATOR_NAMES) {
    for (const target of MACHINE_TYPE_TARGETS) {
      const cloud = target === "aws-sagemaker" ? "aws" : target;
      if (lookupAccelerator(name)[cloud].offered) pairs.push([name, target]);
    }
  }
  return pairs;
}

function nameOf(option: object): string {
  if ("instanceType" in option) return String(option.instanceType);
  if ("machineType" in option) return String(option.machineType);
  if ("vmSize" in option) return String(option.vmSize);
  throw new Error(`catalogue entry without a machine type name: ${JSON.stringify(option)}`);
}

function vcpusOf(option: object): number | undefined {
  return "vcpus" in option && typeof option.vcpus === "number" ? option.vcpus : undefined;
}

/** Kubernetes taint/toleration matching, as kube-scheduler applies it. */
function tolerates(toleration: GpuToleration, taint: typeof GPU_NODE_TAINT): boolean {
  if (toleration.key !== taint.key || toleration.effect !== taint.effect) return false;
  return toleration.operator === "Exists" || toleration.value === taint.value;
}

/** The Kubernetes label-value syntax (at most 63 characters, alphanumerics with '-', '_', '.' inside). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe("accelerator names", () => {
  it("lists six distinct names, each with its own catalogue entry", () => {
    expect(new Set(ACCELERATOR_NAMES).size).toBe(6);
    for (const name of ACCELERATOR_NAMES) {
      expect(isAcceleratorName(name)).toBe(true);
      expect(lookupAccelerator(name).name).toBe(name);
    }
  });

  it("rejects look-alikes and non-strings", () => {
    for (const value of ["nvidia-a10", "NVIDIA-T4", "nvidia-tesla-t4", "t4", "", 42, undefined, null]) {
      expect(isAcceleratorName(value)).toBe(false);
    }
  });

  it("names the bad value, the field and every valid name when the name is unknown", () => {
    expect(() => lookupAccelerator("nvidia-tesla-t4")).toThrow(/Unknown accelerator "nvidia-tesla-t4"/);
    try {
      lookupAccelerator("nvidia-a10");
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("accelerator name must be one of");
      for (const name of ACCELERATOR_NAMES) expect(message).toContain(name);
    }
  });
});

describe("catalogue data", () => {
  it("gives every accelerator a positive GPU memory size, larger for the 80GB parts than the 40GB one", () => {
    for (const name of ACCELERATOR_NAMES) expect(lookupAccelerator(name).gpuMemoryGiB).toBeGreaterThan(0);
    expect(lookupAccelerator("nvidia-a100-80gb").gpuMemoryGiB).toBeGreaterThan(
      lookupAccelerator("nvidia-a100-40gb").gpuMemoryGiB,
    );
  });

  it("offers every accelerator somewhere, and records a reason wherever it is not offered", () => {
    for (const name of ACCELERATOR_NAMES) {
      const spec = lookupAccelerator(name);
      expect(ACCELERATOR_CLOUDS.some((cloud) => spec[cloud].offered)).toBe(true);
      for (const cloud of ACCELERATOR_CLOUDS) {
        const offer = spec[cloud];
        if (!offer.offered) expect(offer.reason.length).toBeGreaterThan(20);
      }
    }
  });

  it.each(offeredPairs())(
    "%s on %s: positive integer GPU counts, positive sizes, no duplicates",
    (name, target) => {
      const options = machineTypeOptions(target, name);
      expect(options.length).toBeGreaterThan(0);
      const names = options.map(nameOf);
      expect(new Set(names).size).toBe(names.length);
      for (const option of options) {
        expect(Number.isInteger(option.gpuCount) && option.gpuCount > 0).toBe(true);
        const vcpus = vcpusOf(option);
        if (vcpus !== undefined) expect(Number.isInteger(vcpus) && vcpus > 0).toBe(true);
        if ("memoryGiB" in option && option.memoryGiB !== undefined)
          expect(option.memoryGiB).toBeGreaterThan(0);
      }
    },
  );

  it.each(offeredPairs())("%s on %s: machine type names follow the cloud's naming", (name, target) => {
    const pattern = {
      aws: /^(g4dn|g5|g6|gr6|p4d|p4de|p5)\.[a-z0-9]+$/,
      "aws-sagemaker": /^ml\.(g4dn|g5|g6|p4d|p4de|p5)\.[0-9]*xlarge$/,
      gcp: /^(n1-standard|g2-standard|a2-highgpu|a2-megagpu|a2-ultragpu|a3-highgpu)-[0-9]+g?$/,
      azure: /^Standard_N[CD][0-9]+[a-z]+_(T4_v3|v4|A100_v4|H100_v5)$/,
    }[target];
    for (const option of machineTypeOptions(target, name)) expect(nameOf(option)).toMatch(pattern);
  });

  it.each(ACCELERATOR_NAMES.filter((name) => lookupAccelerator(name).aws.offered))(
    "%s: every SageMaker type is an EC2 type of the same GPU, with the same GPU count",
    (name) => {
      const ec2 = new Map(
        machineTypeOptions("aws", name).map((entry) => [entry.instanceType, entry.gpuCount]),
      );
      for (const entry of machineTypeOptions("aws-sagemaker", name)) {
        const base = entry.instanceType.replace(/^ml\./, "");
        expect(ec2.get(base), `${entry.instanceType} has no EC2 twin in the ${name} entry`).toBe(
          entry.gpuCount,
        );
        expect(entry.training || entry.hosting).toBe(true);
      }
    },
  );

  it("keeps one accelerator type per GCP offer, distinct across accelerators, for both GKE and Vertex", () => {
    const gke = new Set<string>();
    const vertex = new Set<string>();
    for (const name of ACCELERATOR_NAMES) {
      const gcp = lookupAccelerator(name).gcp;
      if (!gcp.offered) continue;
      expect(gcp.acceleratorType).toMatch(/^nvidia-[a-z0-9-]+$/);
      expect(gcp.vertexAcceleratorType).toMatch(/^NVIDIA_[A-Z0-9_]+$/);
      gke.add(gcp.acceleratorType);
      vertex.add(gcp.vertexAcceleratorType);
    }
    expect(gke.size).toBe(acceleratorsOfferedOn("gcp").length);
    expect(vertex.size).toBe(acceleratorsOfferedOn("gcp").length);
  });

  it("never lists the same machine type under two accelerators", () => {
    for (const target of MACHINE_TYPE_TARGETS) {
      const owner = new Map<string, AcceleratorName>();
      for (const [name, pairTarget] of offeredPairs()) {
        if (pairTarget !== target || target === "gcp") continue; // N1 shapes legitimately host several GPU models
        for (const option of machineTypeOptions(target, name)) {
          const machine = nameOf(option);
          expect(
            owner.get(machine),
            `${machine} listed under ${owner.get(machine)} and ${name}`,
          ).toBeUndefined();
          owner.set(machine, name);
        }
      }
    }
  });
});

describe("machineTypeFor", () => {
  it.each(offeredPairs())(
    "%s on %s: every valid count resolves to the smallest machine with that count",
    (name, target) => {
      const options = machineTypeOptions(target, name);
      for (const count of new Set(options.map((option) => option.gpuCount))) {
        const chosen = machineTypeFor(target, name, count);
        expect(chosen.gpuCount).toBe(count);
        const sameCount = options.filter((option) => option.gpuCount === count);
        const known = sameCount.map(vcpusOf).filter((vcpus): vcpus is number => vcpus !== undefined);
        const chosenVcpus = vcpusOf(chosen);
        if (chosenVcpus !== undefined && known.length > 0) expect(chosenVcpus).toBe(Math.min(...known));
        expect(nameOf(chosen)).toBe(nameOf(sameCount[0]!));
      }
    },
  );

  it("returns, for GCP, the accelerator type and count to attach alongside the machine type", () => {
    for (const name of acceleratorsOfferedOn("gcp")) {
      const gcp = lookupAccelerator(name).gcp;
      if (!gcp.offered) throw new Error("acceleratorsOfferedOn returned an unoffered GPU");
      for (const option of gcp.machineTypes) {
        const chosen = machineTypeFor("gcp", name, option.gpuCount);
        expect(chosen.acceleratorType).toBe(gcp.acceleratorType);
        expect(chosen.vertexAcceleratorType).toBe(gcp.vertexAcceleratorType);
        expect(chosen.acceleratorCount).toBe(option.gpuCount);
      }
    }
  });

  // Spot checks of documented facts (see the source notes in accelerators.ts), not of the code's own output.
  it.each([
    ["aws", "nvidia-t4", 4, "g4dn.12xlarge"],
    ["aws", "nvidia-a100-80gb", 8, "p4de.24xlarge"],
    ["aws", "nvidia-h100-80gb", 8, "p5.48xlarge"],
    ["aws-sagemaker", "nvidia-a10g", 1, "ml.g5.xlarge"],
    ["gcp", "nvidia-l4", 2, "g2-standard-24"],
    ["gcp", "nvidia-a100-40gb", 16, "a2-megagpu-16g"],
    ["azure", "nvidia-a100-80gb", 2, "Standard_NC48ads_A100_v4"],
    ["azure", "nvidia-a100-40gb", 8, "Standard_ND96asr_v4"],
  ] as const)("%s %s × %i → %s", (target, name, count, expected) => {
    expect(nameOf(machineTypeFor(target, name, count))).toBe(expected);
  });

  it("explains, for a count no machine type has, the field, the bad value and the valid counts", () => {
    expect(() => machineTypeFor("azure", "nvidia-a100-80gb", 3)).toThrow(
      /nvidia-a100-80gb on azure has no machine type with 3 GPUs per node \(gpusPerNode=3\)\. Valid GPU counts per node: 1, 2, 4, 8;/,
    );
    expect(() => machineTypeFor("gcp", "nvidia-t4", 8)).toThrow(/Valid GPU counts per node: 1, 2, 4;/);
  });

  it("rejects any GPU count that is not offered", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...offeredPairs()),
        fc.oneof(fc.integer({ min: -4, max: 64 }), fc.double({ noNaN: false })),
        ([name, target], count) => {
          const valid = machineTypeOptions(target, name).some((option) => option.gpuCount === count);
          if (valid) return;
          expect(() => machineTypeFor(target, name, count)).toThrow(/gpusPerNode/);
        },
      ),
    );
  });

  it("says a non-positive or fractional count must be a positive whole number", () => {
    for (const count of [0, -1, 1.5, Number.NaN]) {
      expect(() => machineTypeFor("aws", "nvidia-t4", count)).toThrow(
        /gpusPerNode must be a positive whole number of GPUs, got .* for nvidia-t4 on aws\. Valid GPU counts per node: 1, 4, 8\./,
      );
    }
  });

  it("names the cloud, the GPU and the alternatives when the cloud does not sell the GPU", () => {
    expect(() => machineTypeFor("azure", "nvidia-a10g", 1)).toThrow(
      /^nvidia-a10g is not offered on azure \(.*NVIDIA A10.*\); choose one of nvidia-t4, nvidia-a100-40gb, nvidia-a100-80gb, nvidia-h100-80gb, or run on aws\.$/,
    );
    expect(() => machineTypeFor("gcp", "nvidia-a10g", 1)).toThrow(
      /^nvidia-a10g is not offered on gcp .*choose one of/,
    );
    expect(() => machineTypeFor("azure", "nvidia-l4", 1)).toThrow(
      /^nvidia-l4 is not offered on azure .*, or run on aws or gcp\.$/,
    );
  });

  it("rejects an unknown target or accelerator with the valid choices", () => {
    expect(() => machineTypeFor("oracle" as MachineTypeTarget, "nvidia-t4", 1)).toThrow(
      'Unknown target "oracle": target must be one of aws, aws-sagemaker, gcp, azure.',
    );
    expect(() => machineTypeFor("aws", "nvidia-b200" as AcceleratorName, 1)).toThrow(
      /Unknown accelerator "nvidia-b200": the accelerator name must be one of nvidia-t4, /,
    );
  });
});

describe("gpuNodeScheduling", () => {
  const scheduled: [SchedulingTarget, AcceleratorName, GpuNodeScheduling][] = [];
  for (const target of SCHEDULING_TARGETS) {
    for (const name of ACCELERATOR_NAMES) {
      const offered = target === "kubernetes" || lookupAccelerator(name)[target].offered;
      if (offered) scheduled.push([target, name, gpuNodeScheduling(target, name)]);
    }
  }

  it.each(scheduled)(
    "%s %s: tolerates the GPU node taint and requests nvidia.com/gpu",
    (_target, _name, result) => {
      expect(result.resourceName).toBe(NVIDIA_GPU_RESOURCE);
      expect(result.tolerations.some((toleration) => tolerates(toleration, GPU_NODE_TAINT))).toBe(true);
      for (const toleration of result.tolerations) {
        if (toleration.operator === "Exists") expect(toleration.value).toBeUndefined();
        else expect(toleration.value).toBeDefined();
      }
    },
  );

  it.each(scheduled)(
    "%s %s: selects on at least one label, with valid label values",
    (_target, _name, result) => {
      const expressions =
        result.affinity?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.flatMap(
          (term) => term.matchExpressions,
        ) ?? [];
      expect(Object.keys(result.nodeSelector).length + expressions.length).toBeGreaterThan(0);
      const values = [
        ...Object.values(result.nodeSelector),
        ...expressions.flatMap((expression) => expression.values),
      ];
      for (const value of values) expect(value.length <= 63 && LABEL_VALUE.test(value), value).toBe(true);
      for (const expression of expressions) expect(expression.values.length).toBeGreaterThan(1);
    },
  );

  it.each(scheduled)(
    "%s %s: fits a @pulumi/kubernetes pod spec as is, and hands out fresh objects",
    (target, name) => {
      const first = gpuNodeScheduling(target, name);
      // Compile-time check: assignable without casts or copies.
      const podSpec: Pick<k8s.types.input.core.v1.PodSpec, "nodeSelector" | "tolerations" | "affinity"> =
        first;
      expect(podSpec.tolerations).toBe(first.tolerations);
      first.tolerations[0]!.effect = "NoExecute";
      first.nodeSelector["mutated"] = "yes";
      const again = gpuNodeScheduling(target, name);
      expect(again.tolerations[0]!.effect).toBe("NoSchedule");
      expect(again.nodeSelector["mutated"]).toBeUndefined();
    },
  );

  it("selects GKE nodes by the accelerator type label", () => {
    for (const name of acceleratorsOfferedOn("gcp")) {
      const gcp = lookupAccelerator(name).gcp;
      const result = gpuNodeScheduling("gcp", name);
      expect(result.nodeSelector).toEqual({
        [GKE_ACCELERATOR_LABEL]: gcp.offered ? gcp.acceleratorType : "",
      });
      expect(result.affinity).toBeUndefined();
    }
  });

  it("selects EKS nodes by instance type, over every type or pinned to one", () => {
    const any = gpuNodeScheduling("aws", "nvidia-l4");
    expect(any.nodeSelector).toEqual({});
    const [expression] =
      any.affinity?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
        ?.matchExpressions ?? [];
    expect(expression?.key).toBe(INSTANCE_TYPE_LABEL);
    expect(expression?.operator).toBe("In");
    expect([...(expression?.values ?? [])].sort()).toEqual(
      machineTypeOptions("aws", "nvidia-l4")
        .map((entry) => entry.instanceType)
        .sort(),
    );

    const pinned = gpuNodeScheduling("aws", "nvidia-l4", { machineType: "g6.12xlarge" });
    expect(pinned.nodeSelector).toEqual({ [INSTANCE_TYPE_LABEL]: "g6.12xlarge" });
    expect(pinned.affinity).toBeUndefined();
  });

  it("selects AKS nodes by the accelerator label and VM size, and tolerates the AKS sku=gpu taint", () => {
    const pinned = gpuNodeScheduling("azure", "nvidia-t4", { machineType: "Standard_NC4as_T4_v3" });
    expect(pinned.nodeSelector).toEqual({
      "kubernetes.azure.com/accelerator": "nvidia",
      [INSTANCE_TYPE_LABEL]: "Standard_NC4as_T4_v3",
    });
    expect(pinned.tolerations).toContainEqual({
      key: "sku",
      operator: "Equal",
      value: "gpu",
      effect: "NoSchedule",
    });
    const single = gpuNodeScheduling("azure", "nvidia-h100-80gb");
    expect(single.nodeSelector).toEqual({
      "kubernetes.azure.com/accelerator": "nvidia",
      [INSTANCE_TYPE_LABEL]: "Standard_ND96isr_H100_v5",
    });
  });

  it("selects GPU Feature Discovery nodes by product, over every board variant of the GPU", () => {
    expect(gpuNodeScheduling("kubernetes", "nvidia-t4").nodeSelector).toEqual({
      [GFD_PRODUCT_LABEL]: "Tesla-T4",
    });
    const a100 = gpuNodeScheduling("kubernetes", "nvidia-a100-80gb");
    expect(a100.nodeSelector).toEqual({});
    const [expression] =
      a100.affinity?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
        ?.matchExpressions ?? [];
    expect(expression?.key).toBe(GFD_PRODUCT_LABEL);
    expect(expression?.values).toEqual(
      expect.arrayContaining(["NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"]),
    );
  });

  it("rejects a machine type that does not carry the GPU, naming the valid ones", () => {
    expect(() => gpuNodeScheduling("aws", "nvidia-l4", { machineType: "g5.xlarge" })).toThrow(
      /^machineType "g5.xlarge" does not carry nvidia-l4 on aws; use one of g6.xlarge, .*g6.48xlarge, or omit machineType/,
    );
  });

  it("refuses a cloud that does not sell the GPU, and an unknown target", () => {
    expect(() => gpuNodeScheduling("azure", "nvidia-l4")).toThrow(/^nvidia-l4 is not offered on azure/);
    expect(() => gpuNodeScheduling("gcp", "nvidia-a10g")).toThrow(/^nvidia-a10g is not offered on gcp/);
    expect(() => gpuNodeScheduling("eks" as "aws", "nvidia-t4")).toThrow(
      'Unknown target "eks": target must be one of aws, gcp, azure, kubernetes.',
    );
  });
});
