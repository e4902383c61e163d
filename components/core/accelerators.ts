/**
 * The accelerator catalogue: one neutral name per NVIDIA GPU model, mapped to what each cloud calls
 * it (machine types, accelerator type strings, GPU counts per machine) and to the Kubernetes labels
 * and taints that pods need to land on nodes carrying it.
 *
 * Why a catalogue: a platform spec says "2 × nvidia-a100-80gb per node" once, and every cloud
 * component turns that into its own vocabulary (`p4de.24xlarge`, `a2-ultragpu-2g` +
 * `nvidia-a100-80gb`, `Standard_NC48ads_A100_v4`). Getting one of those strings wrong costs a failed
 * `pulumi up` (at best) or an idle GPU bill (at worst), so every entry here was checked against the
 * provider's documentation or API model; the source of each family sits next to it. Entries that
 * could not be confirmed are left out, with a comment saying so.
 *
 * Everything here is plain data plus pure lookup functions: no Pulumi resources, no I/O.
 */

/**
 * The neutral accelerator names the platform spec accepts. A named `as const` object rather than a
 * bare literal union, so Pulumi's schema inference turns it into an enum for Python, Go and YAML.
 */
export const AcceleratorName = {
  NvidiaT4: "nvidia-t4",
  NvidiaL4: "nvidia-l4",
  NvidiaA10g: "nvidia-a10g",
  NvidiaA100_40gb: "nvidia-a100-40gb",
  NvidiaA100_80gb: "nvidia-a100-80gb",
  NvidiaH100_80gb: "nvidia-h100-80gb",
} as const;
/** A neutral accelerator name, e.g. `nvidia-l4`. */
export type AcceleratorName = (typeof AcceleratorName)[keyof typeof AcceleratorName];

/** Every {@link AcceleratorName}, in catalogue order (smallest GPU first). */
export const ACCELERATOR_NAMES: readonly AcceleratorName[] = [
  "nvidia-t4",
  "nvidia-l4",
  "nvidia-a10g",
  "nvidia-a100-40gb",
  "nvidia-a100-80gb",
  "nvidia-h100-80gb",
];

/** The clouds the catalogue covers. */
export type AcceleratorCloud = "aws" | "gcp" | "azure";

/** Every {@link AcceleratorCloud}. */
export const ACCELERATOR_CLOUDS: readonly AcceleratorCloud[] = ["aws", "gcp", "azure"];

/**
 * Where a machine type is needed: EC2 (EKS node groups, AWS Batch), SageMaker (`ml.*` training jobs
 * and endpoints), Compute Engine / GKE / Vertex AI, or Azure VMs (AKS agent pools, AML compute).
 */
export type MachineTypeTarget = "aws" | "aws-sagemaker" | "gcp" | "azure";

/** Every {@link MachineTypeTarget}. */
export const MACHINE_TYPE_TARGETS: readonly MachineTypeTarget[] = ["aws", "aws-sagemaker", "gcp", "azure"];

/**
 * Where a pod is scheduled: an EKS, GKE or AKS cluster, or any other Kubernetes cluster whose GPU
 * nodes are labelled by NVIDIA GPU Feature Discovery (bundled with the NVIDIA GPU Operator).
 */
export const SchedulingTarget = { Aws: "aws", Gcp: "gcp", Azure: "azure", Kubernetes: "kubernetes" } as const;
/** A cluster flavour whose GPU node labels pods are scheduled by. */
export type SchedulingTarget = (typeof SchedulingTarget)[keyof typeof SchedulingTarget];

/** Every {@link SchedulingTarget}. */
export const SCHEDULING_TARGETS: readonly SchedulingTarget[] = ["aws", "gcp", "azure", "kubernetes"];

/** The Kubernetes extended resource that the NVIDIA device plugin advertises, one unit per GPU. */
export const NVIDIA_GPU_RESOURCE = "nvidia.com/gpu";

/**
 * The taint that keeps non-GPU pods off GPU nodes. GKE applies exactly this taint to GPU node pools
 * when the cluster also has a non-GPU pool; EKS and AKS apply none, so node pools this library
 * creates there should carry it too, which makes one toleration work on every cloud.
 */
export const GPU_NODE_TAINT = { key: NVIDIA_GPU_RESOURCE, value: "present", effect: "NoSchedule" } as const;

/** A cloud that does not sell a given GPU, and why (shown in the lookup error). */
export interface NotOffered {
  readonly offered: false;
  /** One sentence a user can act on: what the cloud sells instead, or why it is absent. */
  readonly reason: string;
}

/** An EC2 instance type carrying the accelerator. */
export interface Ec2InstanceType {
  /** The EC2 instance type, as used by EKS node groups, launch templates and AWS Batch. */
  readonly instanceType: string;
  /** GPUs per instance. */
  readonly gpuCount: number;
  /**
   * vCPUs per instance, where the documentation consulted states it.
   * @default undefined (not confirmed)
   */
  readonly vcpus?: number;
  /**
   * Instance memory in GiB, where the documentation consulted states it.
   * @default undefined (not confirmed)
   */
  readonly memoryGiB?: number;
}

/** A SageMaker `ml.*` instance type carrying the accelerator. */
export interface SageMakerInstanceType {
  /** The SageMaker instance type (`ResourceConfig.InstanceType`, `ProductionVariant.InstanceType`). */
  readonly instanceType: string;
  /** GPUs per instance (the same as the EC2 type it is built on). */
  readonly gpuCount: number;
  /** Accepted by `CreateTrainingJob` (`TrainingInstanceType` in the SageMaker API model). */
  readonly training: boolean;
  /** Accepted by endpoint production variants (`ProductionVariantInstanceType` in the API model). */
  readonly hosting: boolean;
}

/** What AWS sells for one accelerator. */
export interface AwsOffer {
  readonly offered: true;
  /** EC2 instance types, smallest first within each GPU count. */
  readonly ec2: readonly Ec2InstanceType[];
  /** SageMaker instance types, smallest first within each GPU count. */
  readonly sagemaker: readonly SageMakerInstanceType[];
}

/**
 * A Compute Engine machine type that can run the accelerator. For accelerator-optimized machine types
 * (A2, A3, G2) the GPUs are built in; for N1 the GPUs are attached, and `gpuCount` is the count this
 * entry attaches (N1 machine types accept several counts, so N1 appears once per count).
 */
export interface GcpMachineType {
  /** The machine type, as used by `container.NodePool` `nodeConfig.machineType` and Vertex `machineSpec.machineType`. */
  readonly machineType: string;
  /** GPUs per machine. */
  readonly gpuCount: number;
  /** `built-in`: fixed by the machine type (A2/A3/G2). `attached`: added to an N1 machine type. */
  readonly gpuAttachment: "built-in" | "attached";
}

/** What Google Cloud sells for one accelerator. */
export interface GcpOffer {
  readonly offered: true;
  /**
   * The Compute Engine accelerator type: `nodeConfig.guestAccelerators[].type` of a GKE node pool,
   * and the value of the GKE node label `cloud.google.com/gke-accelerator`.
   */
  readonly acceleratorType: string;
  /** The Vertex AI `MachineSpec.acceleratorType` enum value. */
  readonly vertexAcceleratorType: string;
  /** Machine types, smallest first within each GPU count. */
  readonly machineTypes: readonly GcpMachineType[];
}

/** An Azure VM size carrying the accelerator. */
export interface AzureVmSize {
  /** The VM size, as used by AKS `AgentPool.vmSize` and Azure ML `Compute` `vmSize`. */
  readonly vmSize: string;
  /** GPUs per VM. */
  readonly gpuCount: number;
  /** vCPUs per VM. */
  readonly vcpus: number;
  /** VM memory in GiB. */
  readonly memoryGiB: number;
  /** The size series, as Azure documents it (e.g. `NCasT4_v3`). */
  readonly series: string;
}

/** What Azure sells for one accelerator. */
export interface AzureOffer {
  readonly offered: true;
  /** VM sizes, smallest first within each GPU count. */
  readonly vmSizes: readonly AzureVmSize[];
}

/** Facts for clusters labelled by NVIDIA GPU Feature Discovery (GFD), whatever the cloud. */
export interface KubernetesFacts {
  /**
   * Values of the GFD node label `nvidia.com/gpu.product` for whole GPUs of this model. GFD writes
   * the NVML device name with spaces replaced by `-` (gpu-feature-discovery `internal/lm/resource.go`,
   * `productLabel`), so board variants (SXM, PCIe) give different values. Nodes whose GPUs are shared
   * (time-slicing or MPS adds `-SHARED`) or partitioned (MIG adds `-MIG-<profile>`) are deliberately
   * not matched: they do not offer whole GPUs.
   */
  readonly gpuProductLabels: readonly string[];
}

/** Everything the catalogue knows about one accelerator. */
export interface AcceleratorSpec {
  readonly name: AcceleratorName;
  /** The model as NVIDIA markets it. */
  readonly displayName: string;
  /**
   * Memory per GPU, in the nominal size NVIDIA markets (e.g. 16 for the T4). The driver reports a
   * little less (a T4 shows about 15 GiB usable), so do not use this for exact capacity arithmetic.
   */
  readonly gpuMemoryGiB: number;
  readonly aws: AwsOffer | NotOffered;
  readonly gcp: GcpOffer | NotOffered;
  readonly azure: AzureOffer | NotOffered;
  readonly kubernetes: KubernetesFacts;
}

// ---------------------------------------------------------------------------------------------------
// Sources (checked 2026-11-28 with the search tool; "secondary" means not an AWS/Google/Microsoft/
// NVIDIA document, used only to corroborate):
//
// AWS EC2
//   [EC2-UG] Amazon EC2 User Guide, "Accelerated computing instances", hardware specifications table
//     (awsdocs/amazon-ec2-user-guide doc_source/accelerated-computing-instances.md, May 2023, now
//     https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html): g4dn, g5, p4d, p4de with vCPU,
//     memory and GPU count.
//   [ECS-GPU] Amazon ECS developer guide, GPU workloads, supported instance table
//     (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-gpu.html, as quoted verbatim in
//     public repositories): g6.xlarge, g6.48xlarge, gr6.4xlarge, p5.48xlarge.
//   [BATCH-GPU] AWS Batch user guide, "Run GPU jobs" (https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html,
//     translated editions): g6.xlarge…g6.16xlarge single-GPU rows.
//   [PULUMI-EC2] @pulumi/aws 7.48.0 `ec2.InstanceType` enum: confirms every EC2 type name below exists.
// AWS SageMaker
//   [SM-API] SageMaker API model, enums `TrainingInstanceType` (CreateTrainingJob ResourceConfig) and
//     `ProductionVariantInstanceType` (endpoint production variants), read from
//     @aws-sdk/client-sagemaker 3.1142.0. Every ml.* type below is in both enums; gr6 is only in
//     `ClusterInstanceType` (HyperPod), so it is left out of SageMaker.
// Google Cloud
//   [GCE-GPUS] Compute Engine "GPU machine types" (https://cloud.google.com/compute/docs/gpus):
//     accelerator type strings nvidia-tesla-t4 (N1), nvidia-l4 (G2), nvidia-tesla-a100 (A2 Standard),
//     nvidia-a100-80gb (A2 Ultra), nvidia-h100-80gb (A3 High), nvidia-h100-mega-80gb (A3 Mega).
//   [CTK-GPU] Google Cluster Toolkit `modules/internal/gpu-definition/main.tf`
//     (GoogleCloudPlatform/cluster-toolkit): machine type → {accelerator type, count} for A2, A3, G2.
//   [VERTEX] Vertex AI REST reference, MachineSpec.AcceleratorType
//     (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec#AcceleratorType).
// Azure
//   [AZ-SIZES] Azure VM sizes, GPU accelerated (MicrosoftDocs/azure-compute-docs
//     articles/virtual-machines/sizes/gpu-accelerated/*, https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/):
//     per-size vCPU, memory and accelerator count.
// Kubernetes
//   [GKE-TAINT] GKE GPU docs (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus): GPU nodes
//     carry `cloud.google.com/gke-accelerator=<accelerator type>`; GKE taints them
//     `nvidia.com/gpu=present:NoSchedule` when the cluster has a non-GPU pool and adds the toleration
//     to pods requesting `nvidia.com/gpu` (ExtendedResourceToleration).
//   [AKS-LABELS] AKS "Use labels", reserved system labels (https://learn.microsoft.com/azure/aks/use-labels):
//     `kubernetes.azure.com/accelerator=nvidia`, `node.kubernetes.io/instance-type=<VM size>`. AKS adds
//     no GPU taint and no automatic toleration (https://github.com/Azure/AKS/issues/1449); its GPU
//     how-to taints pools `sku=gpu:NoSchedule`.
//   [K8S-LABELS] Kubernetes well-known labels (https://kubernetes.io/docs/reference/labels-annotations-taints/):
//     `node.kubernetes.io/instance-type`, set by the cloud provider on EKS managed node groups.
//   [GFD] NVIDIA gpu-feature-discovery `internal/lm/resource.go` (label derivation) and the product
//     values observed on real clusters: Tesla-T4, NVIDIA-L4, NVIDIA-A10G, NVIDIA-A100-SXM4-40GB,
//     NVIDIA-A100-PCIE-40GB, NVIDIA-A100-SXM4-80GB, NVIDIA-A100-80GB-PCIe, NVIDIA-H100-80GB-HBM3,
//     NVIDIA-H100-PCIe.
// ---------------------------------------------------------------------------------------------------

const CATALOGUE: Readonly<Record<AcceleratorName, AcceleratorSpec>> = {
  "nvidia-t4": {
    name: "nvidia-t4",
    displayName: "NVIDIA T4",
    gpuMemoryGiB: 16,
    aws: {
      offered: true,
      // G4dn: [EC2-UG] (all sizes, including metal).
      ec2: [
        { instanceType: "g4dn.xlarge", gpuCount: 1, vcpus: 4, memoryGiB: 16 },
        { instanceType: "g4dn.2xlarge", gpuCount: 1, vcpus: 8, memoryGiB: 32 },
        { instanceType: "g4dn.4xlarge", gpuCount: 1, vcpus: 16, memoryGiB: 64 },
        { instanceType: "g4dn.8xlarge", gpuCount: 1, vcpus: 32, memoryGiB: 128 },
        { instanceType: "g4dn.16xlarge", gpuCount: 1, vcpus: 64, memoryGiB: 256 },
        { instanceType: "g4dn.12xlarge", gpuCount: 4, vcpus: 48, memoryGiB: 192 },
        { instanceType: "g4dn.metal", gpuCount: 8, vcpus: 96, memoryGiB: 384 },
      ],
      // [SM-API]: ml.g4dn.* for training and hosting; there is no ml.g4dn.metal.
      sagemaker: [
        { instanceType: "ml.g4dn.xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g4dn.2xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g4dn.4xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g4dn.8xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g4dn.16xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g4dn.12xlarge", gpuCount: 4, training: true, hosting: true },
      ],
    },
    gcp: {
      offered: true,
      // [GCE-GPUS]: T4 (nvidia-tesla-t4) attaches to N1 general-purpose machine types; [VERTEX].
      // N1 accepts 1, 2 or 4 T4s per VM. The per-count vCPU/memory ceilings of that table could not be
      // read in this session, so only one small N1 shape per count is listed, each far below any
      // ceiling (4 vCPUs for 1 GPU, 8 for 2, 16 for 4); larger N1 shapes are valid too.
      acceleratorType: "nvidia-tesla-t4",
      vertexAcceleratorType: "NVIDIA_TESLA_T4",
      machineTypes: [
        { machineType: "n1-standard-4", gpuCount: 1, gpuAttachment: "attached" },
        { machineType: "n1-standard-8", gpuCount: 2, gpuAttachment: "attached" },
        { machineType: "n1-standard-16", gpuCount: 4, gpuAttachment: "attached" },
      ],
    },
    azure: {
      offered: true,
      // NCasT4_v3: [AZ-SIZES] ncast4v3-series.md.
      vmSizes: [
        { vmSize: "Standard_NC4as_T4_v3", gpuCount: 1, vcpus: 4, memoryGiB: 28, series: "NCasT4_v3" },
        { vmSize: "Standard_NC8as_T4_v3", gpuCount: 1, vcpus: 8, memoryGiB: 56, series: "NCasT4_v3" },
        { vmSize: "Standard_NC16as_T4_v3", gpuCount: 1, vcpus: 16, memoryGiB: 110, series: "NCasT4_v3" },
        { vmSize: "Standard_NC64as_T4_v3", gpuCount: 4, vcpus: 64, memoryGiB: 440, series: "NCasT4_v3" },
      ],
    },
    kubernetes: { gpuProductLabels: ["Tesla-T4"] },
  },

  "nvidia-l4": {
    name: "nvidia-l4",
    displayName: "NVIDIA L4",
    gpuMemoryGiB: 24,
    aws: {
      offered: true,
      // G6 / Gr6: single-GPU g6 rows from [BATCH-GPU]; g6.xlarge, g6.48xlarge and gr6.4xlarge from
      // [ECS-GPU]; g6.12xlarge, g6.24xlarge and gr6.8xlarge agree across several secondary copies of
      // the EC2 specification table (4/48/192, 4/96/384, 1/32/256). Names: [PULUMI-EC2].
      ec2: [
        { instanceType: "g6.xlarge", gpuCount: 1, vcpus: 4, memoryGiB: 16 },
        { instanceType: "g6.2xlarge", gpuCount: 1, vcpus: 8, memoryGiB: 32 },
        { instanceType: "g6.4xlarge", gpuCount: 1, vcpus: 16, memoryGiB: 64 },
        { instanceType: "gr6.4xlarge", gpuCount: 1, vcpus: 16, memoryGiB: 128 },
        { instanceType: "g6.8xlarge", gpuCount: 1, vcpus: 32, memoryGiB: 128 },
        { instanceType: "gr6.8xlarge", gpuCount: 1, vcpus: 32, memoryGiB: 256 },
        { instanceType: "g6.16xlarge", gpuCount: 1, vcpus: 64, memoryGiB: 256 },
        { instanceType: "g6.12xlarge", gpuCount: 4, vcpus: 48, memoryGiB: 192 },
        { instanceType: "g6.24xlarge", gpuCount: 4, vcpus: 96, memoryGiB: 384 },
        { instanceType: "g6.48xlarge", gpuCount: 8, vcpus: 192, memoryGiB: 768 },
      ],
      // [SM-API]: ml.g6.* for training and hosting (ml.gr6.* is HyperPod-only, so left out).
      sagemaker: [
        { instanceType: "ml.g6.xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g6.2xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g6.4xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g6.8xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g6.16xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g6.12xlarge", gpuCount: 4, training: true, hosting: true },
        { instanceType: "ml.g6.24xlarge", gpuCount: 4, training: true, hosting: true },
        { instanceType: "ml.g6.48xlarge", gpuCount: 8, training: true, hosting: true },
      ],
    },
    gcp: {
      offered: true,
      // G2: [GCE-GPUS] (L4 runs only on G2; g2-standard-4 = 1 GPU), counts per machine type [CTK-GPU]; [VERTEX].
      acceleratorType: "nvidia-l4",
      vertexAcceleratorType: "NVIDIA_L4",
      machineTypes: [
        { machineType: "g2-standard-4", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "g2-standard-8", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "g2-standard-12", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "g2-standard-16", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "g2-standard-32", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "g2-standard-24", gpuCount: 2, gpuAttachment: "built-in" },
        { machineType: "g2-standard-48", gpuCount: 4, gpuAttachment: "built-in" },
        { machineType: "g2-standard-96", gpuCount: 8, gpuAttachment: "built-in" },
      ],
    },
    azure: {
      offered: false,
      // [AZ-SIZES]: no GPU-accelerated size series (NC, ND, NG, NV families) carries an L4.
      reason: "Azure has no VM size with the NVIDIA L4 (none of its NC, ND, NG or NV series uses it)",
    },
    kubernetes: { gpuProductLabels: ["NVIDIA-L4"] },
  },

  "nvidia-a10g": {
    name: "nvidia-a10g",
    displayName: "NVIDIA A10G",
    gpuMemoryGiB: 24,
    aws: {
      offered: true,
      // G5: [EC2-UG].
      ec2: [
        { instanceType: "g5.xlarge", gpuCount: 1, vcpus: 4, memoryGiB: 16 },
        { instanceType: "g5.2xlarge", gpuCount: 1, vcpus: 8, memoryGiB: 32 },
        { instanceType: "g5.4xlarge", gpuCount: 1, vcpus: 16, memoryGiB: 64 },
        { instanceType: "g5.8xlarge", gpuCount: 1, vcpus: 32, memoryGiB: 128 },
        { instanceType: "g5.16xlarge", gpuCount: 1, vcpus: 64, memoryGiB: 256 },
        { instanceType: "g5.12xlarge", gpuCount: 4, vcpus: 48, memoryGiB: 192 },
        { instanceType: "g5.24xlarge", gpuCount: 4, vcpus: 96, memoryGiB: 384 },
        { instanceType: "g5.48xlarge", gpuCount: 8, vcpus: 192, memoryGiB: 768 },
      ],
      // [SM-API].
      sagemaker: [
        { instanceType: "ml.g5.xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g5.2xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g5.4xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g5.8xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g5.16xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.g5.12xlarge", gpuCount: 4, training: true, hosting: true },
        { instanceType: "ml.g5.24xlarge", gpuCount: 4, training: true, hosting: true },
        { instanceType: "ml.g5.48xlarge", gpuCount: 8, training: true, hosting: true },
      ],
    },
    gcp: {
      offered: false,
      // [GCE-GPUS] lists no A10 or A10G model.
      reason:
        "the A10G is an AWS-specific GPU and Compute Engine offers no A10-class GPU; the nearest is nvidia-l4",
    },
    azure: {
      offered: false,
      // [AZ-SIZES]: NVadsA10_v5 carries "Nvidia A10 GPU (24GB)", a different board from AWS's A10G.
      reason:
        "the A10G is an AWS-specific GPU; Azure's NVadsA10 v5 sizes carry the NVIDIA A10, a different board that this catalogue does not map",
    },
    kubernetes: { gpuProductLabels: ["NVIDIA-A10G"] },
  },

  "nvidia-a100-40gb": {
    name: "nvidia-a100-40gb",
    displayName: "NVIDIA A100 40GB",
    gpuMemoryGiB: 40,
    aws: {
      offered: true,
      // P4d: [EC2-UG].
      ec2: [{ instanceType: "p4d.24xlarge", gpuCount: 8, vcpus: 96, memoryGiB: 1152 }],
      // [SM-API].
      sagemaker: [{ instanceType: "ml.p4d.24xlarge", gpuCount: 8, training: true, hosting: true }],
    },
    gcp: {
      offered: true,
      // A2 Standard: [GCE-GPUS] (nvidia-tesla-a100), counts [CTK-GPU]; [VERTEX].
      acceleratorType: "nvidia-tesla-a100",
      vertexAcceleratorType: "NVIDIA_TESLA_A100",
      machineTypes: [
        { machineType: "a2-highgpu-1g", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "a2-highgpu-2g", gpuCount: 2, gpuAttachment: "built-in" },
        { machineType: "a2-highgpu-4g", gpuCount: 4, gpuAttachment: "built-in" },
        { machineType: "a2-highgpu-8g", gpuCount: 8, gpuAttachment: "built-in" },
        { machineType: "a2-megagpu-16g", gpuCount: 16, gpuAttachment: "built-in" },
      ],
    },
    azure: {
      offered: true,
      // ND A100 v4 (NDasrA100_v4): [AZ-SIZES] ndasra100v4-series.md, "Nvidia A100 GPU (40GB)".
      vmSizes: [
        { vmSize: "Standard_ND96asr_v4", gpuCount: 8, vcpus: 96, memoryGiB: 900, series: "NDasrA100_v4" },
      ],
    },
    kubernetes: { gpuProductLabels: ["NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB"] },
  },

  "nvidia-a100-80gb": {
    name: "nvidia-a100-80gb",
    displayName: "NVIDIA A100 80GB",
    gpuMemoryGiB: 80,
    aws: {
      offered: true,
      // P4de: [EC2-UG] ("P4de instances offer NVIDIA 80GB-A100s GPUs").
      ec2: [{ instanceType: "p4de.24xlarge", gpuCount: 8, vcpus: 96, memoryGiB: 1152 }],
      // [SM-API].
      sagemaker: [{ instanceType: "ml.p4de.24xlarge", gpuCount: 8, training: true, hosting: true }],
    },
    gcp: {
      offered: true,
      // A2 Ultra: [GCE-GPUS] (nvidia-a100-80gb), counts [CTK-GPU]; [VERTEX].
      acceleratorType: "nvidia-a100-80gb",
      vertexAcceleratorType: "NVIDIA_A100_80GB",
      machineTypes: [
        { machineType: "a2-ultragpu-1g", gpuCount: 1, gpuAttachment: "built-in" },
        { machineType: "a2-ultragpu-2g", gpuCount: 2, gpuAttachment: "built-in" },
        { machineType: "a2-ultragpu-4g", gpuCount: 4, gpuAttachment: "built-in" },
        { machineType: "a2-ultragpu-8g", gpuCount: 8, gpuAttachment: "built-in" },
      ],
    },
    azure: {
      offered: true,
      // NC A100 v4 ("Nvidia PCIe A100 GPU (80GB)") and NDm A100 v4 ("Nvidia A100 GPU (80GB)"):
      // [AZ-SIZES] nca100v4-series.md, ndma100v4-series.md.
      vmSizes: [
        { vmSize: "Standard_NC24ads_A100_v4", gpuCount: 1, vcpus: 24, memoryGiB: 220, series: "NC_A100_v4" },
        { vmSize: "Standard_NC48ads_A100_v4", gpuCount: 2, vcpus: 48, memoryGiB: 440, series: "NC_A100_v4" },
        { vmSize: "Standard_NC96ads_A100_v4", gpuCount: 4, vcpus: 96, memoryGiB: 880, series: "NC_A100_v4" },
        {
          vmSize: "Standard_ND96amsr_A100_v4",
          gpuCount: 8,
          vcpus: 96,
          memoryGiB: 1900,
          series: "NDm_A100_v4",
        },
      ],
    },
    kubernetes: { gpuProductLabels: ["NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"] },
  },

  "nvidia-h100-80gb": {
    name: "nvidia-h100-80gb",
    displayName: "NVIDIA H100 80GB",
    gpuMemoryGiB: 80,
    aws: {
      offered: true,
      // P5: p5.48xlarge [ECS-GPU]. p5.4xlarge (one H100) is in [PULUMI-EC2] and [SM-API]; its GPU count
      // is corroborated by secondary copies of the EC2 table, but its vCPU and memory were not
      // confirmed, so they are left unset.
      ec2: [
        { instanceType: "p5.4xlarge", gpuCount: 1 },
        { instanceType: "p5.48xlarge", gpuCount: 8, vcpus: 192, memoryGiB: 2048 },
      ],
      // [SM-API].
      sagemaker: [
        { instanceType: "ml.p5.4xlarge", gpuCount: 1, training: true, hosting: true },
        { instanceType: "ml.p5.48xlarge", gpuCount: 8, training: true, hosting: true },
      ],
    },
    gcp: {
      offered: true,
      // A3 High: [GCE-GPUS] (nvidia-h100-80gb), a3-highgpu-8g = 8 GPUs [CTK-GPU]; [VERTEX].
      // Left out: a3-megagpu-8g (its accelerator type is nvidia-h100-mega-80gb, a separate GKE label
      // value); a3-highgpu-1g/2g/4g and a3-edgegpu-8g (not confirmed in Google's documentation from
      // this session; the smaller A3 High shapes are reported to need Spot or Flex-start capacity).
      acceleratorType: "nvidia-h100-80gb",
      vertexAcceleratorType: "NVIDIA_H100_80GB",
      machineTypes: [{ machineType: "a3-highgpu-8g", gpuCount: 8, gpuAttachment: "built-in" }],
    },
    azure: {
      offered: true,
      // ND H100 v5: [AZ-SIZES] ndh100v5-series.md (8 GPUs, 640 GB accelerator memory). Left out:
      // NCads H100 v5, whose "Nvidia PCIe H100 GPU (94GB)" is the H100 NVL, not an 80GB H100.
      vmSizes: [
        { vmSize: "Standard_ND96isr_H100_v5", gpuCount: 8, vcpus: 96, memoryGiB: 1900, series: "ND_H100_v5" },
      ],
    },
    kubernetes: { gpuProductLabels: ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe"] },
  },
};

// ---------------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------------

/** True when `value` is one of the {@link ACCELERATOR_NAMES}. */
export function isAcceleratorName(value: unknown): value is AcceleratorName {
  return typeof value === "string" && (ACCELERATOR_NAMES as readonly string[]).includes(value);
}

/**
 * The catalogue entry for `name`.
 * @throws Error naming the bad value and listing the valid names.
 */
export function lookupAccelerator(name: string): AcceleratorSpec {
  if (!isAcceleratorName(name)) {
    throw new Error(
      `Unknown accelerator ${JSON.stringify(name)}: the accelerator name must be one of ${ACCELERATOR_NAMES.join(", ")}. ` +
        "Use the neutral name (for example nvidia-a100-80gb), not a cloud's machine type or accelerator type string.",
    );
  }
  return CATALOGUE[name];
}

/** The accelerators a cloud offers, in catalogue order. */
export function acceleratorsOfferedOn(cloud: AcceleratorCloud): AcceleratorName[] {
  assertOneOf("cloud", cloud, ACCELERATOR_CLOUDS);
  return ACCELERATOR_NAMES.filter((name) => CATALOGUE[name][cloud].offered);
}

/** The offer of `cloud` for `name`, or a clear error when that cloud does not sell it. */
function offerOn<C extends AcceleratorCloud>(
  cloud: C,
  name: string,
): Exclude<AcceleratorSpec[C], NotOffered> {
  const spec = lookupAccelerator(name);
  const offer = spec[cloud];
  if (!offer.offered) {
    const elsewhere = ACCELERATOR_CLOUDS.filter((other) => other !== cloud && spec[other].offered);
    throw new Error(
      `${name} is not offered on ${cloud} (${offer.reason}); choose one of ${acceleratorsOfferedOn(cloud).join(", ")}` +
        (elsewhere.length > 0 ? `, or run on ${elsewhere.join(" or ")}.` : "."),
    );
  }
  return offer as Exclude<AcceleratorSpec[C], NotOffered>;
}

/** What {@link machineTypeFor} returns for Google Cloud: the machine type plus what to attach. */
export interface GcpMachineSelection extends GcpMachineType {
  /** `nodeConfig.guestAccelerators[].type` for GKE (also the `cloud.google.com/gke-accelerator` label value). */
  readonly acceleratorType: string;
  /** `nodeConfig.guestAccelerators[].count` for GKE and `machineSpec.acceleratorCount` for Vertex AI. */
  readonly acceleratorCount: number;
  /** `machineSpec.acceleratorType` for Vertex AI. */
  readonly vertexAcceleratorType: string;
}

/**
 * The machine type that carries exactly `gpusPerNode` GPUs of `name` on `target`. When several
 * machine types share that GPU count, the smallest (fewest vCPUs) is returned; use
 * {@link machineTypeOptions} to see the others.
 * @throws Error when the name is unknown, the cloud does not offer the GPU, or no machine type has
 * that GPU count (the message lists the valid counts).
 */
export function machineTypeFor(target: "aws", name: AcceleratorName, gpusPerNode: number): Ec2InstanceType;
export function machineTypeFor(
  target: "aws-sagemaker",
  name: AcceleratorName,
  gpusPerNode: number,
): SageMakerInstanceType;
export function machineTypeFor(
  target: "gcp",
  name: AcceleratorName,
  gpusPerNode: number,
): GcpMachineSelection;
export function machineTypeFor(target: "azure", name: AcceleratorName, gpusPerNode: number): AzureVmSize;
export function machineTypeFor(
  target: MachineTypeTarget,
  name: AcceleratorName,
  gpusPerNode: number,
): Ec2InstanceType | SageMakerInstanceType | GcpMachineSelection | AzureVmSize;
export function machineTypeFor(
  target: MachineTypeTarget,
  name: AcceleratorName,
  gpusPerNode: number,
): Ec2InstanceType | SageMakerInstanceType | GcpMachineSelection | AzureVmSize {
  const options = machineTypeOptions(target, name);
  if (!Number.isInteger(gpusPerNode) || gpusPerNode < 1) {
    throw new Error(
      `gpusPerNode must be a positive whole number of GPUs, got ${describeValue(gpusPerNode)} for ${name} on ${target}. ` +
        `Valid GPU counts per node: ${validCounts(options).join(", ")}.`,
    );
  }
  const match = options.find((option) => option.gpuCount === gpusPerNode);
  if (match === undefined) {
    throw new Error(
      `${name} on ${target} has no machine type with ${gpusPerNode} GPUs per node (gpusPerNode=${gpusPerNode}). ` +
        `Valid GPU counts per node: ${validCounts(options).join(", ")}; pick one of these, or change the node count instead.`,
    );
  }
  if (target === "gcp") {
    const gcp = offerOn("gcp", name);
    return {
      ...(match as GcpMachineType),
      acceleratorType: gcp.acceleratorType,
      acceleratorCount: match.gpuCount,
      vertexAcceleratorType: gcp.vertexAcceleratorType,
    };
  }
  // Only the gcp branch yields GcpMachineType entries; the other targets' options are these types.
  return match as Ec2InstanceType | SageMakerInstanceType | AzureVmSize;
}

/**
 * Every machine type carrying `name` on `target`, smallest first within each GPU count.
 * @throws Error when the name or target is unknown or the cloud does not offer the GPU.
 */
export function machineTypeOptions(target: "aws", name: AcceleratorName): readonly Ec2InstanceType[];
export function machineTypeOptions(
  target: "aws-sagemaker",
  name: AcceleratorName,
): readonly SageMakerInstanceType[];
export function machineTypeOptions(target: "gcp", name: AcceleratorName): readonly GcpMachineType[];
export function machineTypeOptions(target: "azure", name: AcceleratorName): readonly AzureVmSize[];
export function machineTypeOptions(
  target: MachineTypeTarget,
  name: AcceleratorName,
): readonly (Ec2InstanceType | SageMakerInstanceType | GcpMachineType | AzureVmSize)[];
export function machineTypeOptions(
  target: MachineTypeTarget,
  name: AcceleratorName,
): readonly (Ec2InstanceType | SageMakerInstanceType | GcpMachineType | AzureVmSize)[] {
  assertOneOf("target", target, MACHINE_TYPE_TARGETS);
  switch (target) {
    case "aws":
      return offerOn("aws", name).ec2;
    case "aws-sagemaker":
      return offerOn("aws", name).sagemaker;
    case "gcp":
      return offerOn("gcp", name).machineTypes;
    case "azure":
      return offerOn("azure", name).vmSizes;
  }
}

/** A value as it should read in an error message: numbers bare (NaN stays NaN), anything else as JSON. */
function describeValue(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

function validCounts(options: readonly { readonly gpuCount: number }[]): number[] {
  return [...new Set(options.map((option) => option.gpuCount))].sort((a, b) => a - b);
}

function assertOneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new Error(
      `Unknown ${field} ${JSON.stringify(value)}: ${field} must be one of ${allowed.join(", ")}.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Scheduling
// ---------------------------------------------------------------------------------------------------

/** A pod toleration, shaped like `@pulumi/kubernetes` `types.input.core.v1.Toleration`. */
/** Operators of a Kubernetes toleration. */
export const TolerationOperator = { Exists: "Exists", Equal: "Equal" } as const;
/** An operator of a Kubernetes toleration. */
export type TolerationOperator = (typeof TolerationOperator)[keyof typeof TolerationOperator];

/** Effects of a Kubernetes taint. */
export const TaintEffect = {
  NoSchedule: "NoSchedule",
  PreferNoSchedule: "PreferNoSchedule",
  NoExecute: "NoExecute",
} as const;
/** An effect of a Kubernetes taint. */
export type TaintEffect = (typeof TaintEffect)[keyof typeof TaintEffect];

export interface GpuToleration {
  key: string;
  operator: TolerationOperator;
  /**
   * The taint value, for the `Equal` operator.
   * @default undefined (any value, with `Exists`)
   */
  value?: string;
  effect: TaintEffect;
}

/** Required node affinity, shaped like `@pulumi/kubernetes` `types.input.core.v1.Affinity`. */
export interface GpuNodeAffinity {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: {
        matchExpressions: { key: string; operator: "In"; values: string[] }[];
      }[];
    };
  };
}

/**
 * What a pod spec needs to land on nodes with a given GPU. Apply all three fields: `nodeSelector`
 * holds the single-valued constraints, `affinity` (when present) the constraints that allow several
 * values (a GPU sold in several machine types, or in several board variants), and `tolerations` let
 * the pod past the GPU-node taint. The pod must still request `resources.limits["nvidia.com/gpu"]`.
 * Every call returns fresh, mutable objects, so they can be assigned straight into a
 * `@pulumi/kubernetes` pod spec (whose input types take mutable arrays) and changed there safely.
 */
export interface GpuNodeScheduling {
  nodeSelector: Record<string, string>;
  /**
   * Required node affinity for multi-valued constraints.
   * @default undefined (the node selector alone identifies the nodes)
   */
  affinity?: GpuNodeAffinity;
  tolerations: GpuToleration[];
  /** The extended resource to request, one unit per GPU ({@link NVIDIA_GPU_RESOURCE}). */
  resourceName: typeof NVIDIA_GPU_RESOURCE;
}

/** Options for {@link gpuNodeScheduling}. */
export interface GpuNodeSchedulingOptions {
  /**
   * The node pool's machine type (EC2 instance type or Azure VM size). When given, pods are pinned to
   * exactly that type with a plain node selector instead of an affinity over every type carrying the
   * GPU. Ignored for `gcp` and `kubernetes`, whose labels name the GPU itself.
   * @default undefined (any machine type carrying the GPU)
   */
  readonly machineType?: string;
}

/** The well-known label every cloud provider sets to the node's machine type [K8S-LABELS]. */
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
/** The GKE node label holding the Compute Engine accelerator type [GKE-TAINT]. */
export const GKE_ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";
/** The AKS system label set on GPU nodes, always to `nvidia` [AKS-LABELS]. */
export const AKS_ACCELERATOR_LABEL = "kubernetes.azure.com/accelerator";
/** The GPU Feature Discovery label holding the GPU product name [GFD]. */
export const GFD_PRODUCT_LABEL = "nvidia.com/gpu.product";

/** Tolerates {@link GPU_NODE_TAINT} whatever its value, the way GKE's automatic toleration does. */
const GPU_TAINT_TOLERATION: GpuToleration = {
  key: NVIDIA_GPU_RESOURCE,
  operator: "Exists",
  effect: "NoSchedule",
};
/** Tolerates the `sku=gpu:NoSchedule` taint that the AKS GPU how-to puts on GPU pools [AKS-LABELS]. */
const AKS_SKU_TOLERATION: GpuToleration = {
  key: "sku",
  operator: "Equal",
  value: "gpu",
  effect: "NoSchedule",
};

/**
 * The node selector, affinity and tolerations that put a pod on nodes with `name` GPUs in an EKS
 * (`aws`), GKE (`gcp`) or AKS (`azure`) cluster, or in any cluster labelled by NVIDIA GPU Feature
 * Discovery (`kubernetes`).
 *
 * - `gcp`: GKE labels GPU nodes with the accelerator type, so one node selector suffices.
 * - `aws`: EKS managed node groups add no GPU label, so nodes are selected by instance type.
 * - `azure`: AKS labels GPU nodes `kubernetes.azure.com/accelerator=nvidia` (any model), so the VM size
 *   narrows it to the model.
 * - `kubernetes`: the GFD product label, one value per board variant.
 *
 * The tolerations cover {@link GPU_NODE_TAINT} (GKE's automatic taint, and what this library puts on
 * EKS/AKS GPU pools) and, on AKS, the `sku=gpu` taint from Microsoft's GPU how-to, because AKS never
 * adds GPU tolerations itself.
 * @throws Error when the target or name is unknown, the cloud does not offer the GPU, or
 * `options.machineType` does not carry it.
 */
export function gpuNodeScheduling(
  target: SchedulingTarget,
  name: AcceleratorName,
  options: GpuNodeSchedulingOptions = {},
): GpuNodeScheduling {
  assertOneOf("target", target, SCHEDULING_TARGETS);
  switch (target) {
    case "gcp":
      return {
        nodeSelector: { [GKE_ACCELERATOR_LABEL]: offerOn("gcp", name).acceleratorType },
        tolerations: [{ ...GPU_TAINT_TOLERATION }],
        resourceName: NVIDIA_GPU_RESOURCE,
      };
    case "aws": {
      const types = offerOn("aws", name).ec2.map((entry) => entry.instanceType);
      return {
        ...instanceTypeConstraint(target, name, types, options.machineType, {}),
        tolerations: [{ ...GPU_TAINT_TOLERATION }],
        resourceName: NVIDIA_GPU_RESOURCE,
      };
    }
    case "azure": {
      const sizes = offerOn("azure", name).vmSizes.map((entry) => entry.vmSize);
      return {
        ...instanceTypeConstraint(target, name, sizes, options.machineType, {
          [AKS_ACCELERATOR_LABEL]: "nvidia",
        }),
        tolerations: [{ ...GPU_TAINT_TOLERATION }, { ...AKS_SKU_TOLERATION }],
        resourceName: NVIDIA_GPU_RESOURCE,
      };
    }
    case "kubernetes": {
      const products = lookupAccelerator(name).kubernetes.gpuProductLabels;
      return {
        ...labelConstraint(GFD_PRODUCT_LABEL, products, {}),
        tolerations: [{ ...GPU_TAINT_TOLERATION }],
        resourceName: NVIDIA_GPU_RESOURCE,
      };
    }
  }
}

function instanceTypeConstraint(
  target: SchedulingTarget,
  name: AcceleratorName,
  machineTypes: readonly string[],
  machineType: string | undefined,
  baseSelector: Record<string, string>,
): Pick<GpuNodeScheduling, "nodeSelector" | "affinity"> {
  if (machineType === undefined) return labelConstraint(INSTANCE_TYPE_LABEL, machineTypes, baseSelector);
  if (!machineTypes.includes(machineType)) {
    throw new Error(
      `machineType ${JSON.stringify(machineType)} does not carry ${name} on ${target}; ` +
        `use one of ${machineTypes.join(", ")}, or omit machineType to match any of them.`,
    );
  }
  return { nodeSelector: { ...baseSelector, [INSTANCE_TYPE_LABEL]: machineType } };
}

function labelConstraint(
  key: string,
  values: readonly string[],
  baseSelector: Record<string, string>,
): Pick<GpuNodeScheduling, "nodeSelector" | "affinity"> {
  if (values.length === 1) return { nodeSelector: { ...baseSelector, [key]: values[0]! } };
  return {
    nodeSelector: baseSelector,
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key, operator: "In", values: [...values] }] }],
        },
      },
    },
  };
}
