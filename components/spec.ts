/**
 * The cloud-neutral specs of the five concerns. `MlPlatform` takes these and builds each cloud's
 * components from them; every cloud's component args extend the matching spec with that cloud's
 * own options, so the spec never has to be reshaped when a cloud lands.
 *
 * The specs are flat interfaces with string-literal unions only, so they stay consumable from
 * Python, Go and YAML through Pulumi's source-based component packages.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AcceleratorName } from "./core/accelerators";

/** Feast-style feature value types; each cloud maps them to its own type system. */
export const FeatureValueType = {
  Int32: "int32",
  Int64: "int64",
  Float32: "float32",
  Float64: "float64",
  String: "string",
  Bool: "bool",
  Bytes: "bytes",
  UnixTimestamp: "unix_timestamp",
} as const;
/** A Feast-style feature value type. */
export type FeatureValueType = (typeof FeatureValueType)[keyof typeof FeatureValueType];

/** A business entity that features are keyed by, e.g. a customer. */
export interface FeatureEntitySpec {
  /** Entity name (lowercase, `[a-z][a-z0-9_]*`). */
  name: string;
  /** Columns that identify the entity, e.g. `["customer_id"]`. */
  joinKeys: string[];
  /**
   * Type of the join keys.
   * @default "int64"
   */
  valueType?: FeatureValueType;
  /**
   * Human description.
   * @default ""
   */
  description?: string;
}

/** One feature in a feature view. */
export interface FeatureSpec {
  /** Feature (column) name, `[a-z][a-z0-9_]*`. */
  name: string;
  /** Value type. */
  type: FeatureValueType;
}

/** A group of features computed from one source and served together. */
export interface FeatureViewSpec {
  /** View name, `[a-z][a-z0-9_]*`. */
  name: string;
  /** Names of the entities (from `entities`) this view is keyed by. */
  entities: string[];
  /** The features. */
  features: FeatureSpec[];
  /**
   * How long a feature value stays valid, in seconds (Feast's `ttl`). 0 means forever.
   * @default 86400
   */
  ttlSeconds?: number;
  /**
   * Where the offline rows come from: a path relative to the offline store (Parquet), or a table URI
   * on clouds whose offline store is a warehouse.
   */
  sourcePath: string;
  /** Event timestamp column of the source. */
  timestampField: string;
  /**
   * Whether the view is materialised to the online store.
   * @default true
   */
  online?: boolean;
}

/** The feature store: entities and feature views, with an online and an offline store. */
export interface FeatureStoreSpec {
  /**
   * Feast project name (`[a-z][a-z0-9_]*`).
   * @default the component name with '-' replaced by '_'
   */
  project?: string;
  /** Entities. */
  entities: FeatureEntitySpec[];
  /** Feature views. */
  featureViews: FeatureViewSpec[];
}

/** A pool of GPU nodes of one accelerator type. */
export interface GpuPoolSpec {
  /** Pool name (DNS label). */
  name: string;
  /** Neutral accelerator name from the catalogue, e.g. `nvidia-l4`. */
  accelerator: AcceleratorName;
  /**
   * GPUs per node; must be a count the cloud offers for this accelerator.
   * @default 1
   */
  gpusPerNode?: number;
  /**
   * Minimum nodes. 0 lets GPU capacity scale to zero when idle.
   * @default 0
   */
  minNodes?: number;
  /** Maximum nodes. */
  maxNodes: number;
  /**
   * Use spot/preemptible capacity.
   * @default true outside `prod`, false in `prod`
   */
  spot?: boolean;
}

/** Scheduling priority of a team's training jobs. */
export const TrainingPriority = { Low: "low", Standard: "standard", High: "high" } as const;
/** Scheduling priority of a team's training jobs. */
export type TrainingPriority = (typeof TrainingPriority)[keyof typeof TrainingPriority];

/** A team's share of the training capacity. */
export interface TrainingTeamSpec {
  /** Team name (DNS label); becomes a namespace and a queue. */
  name: string;
  /** GPUs the team is guaranteed (its nominal quota), per pool name. */
  gpuQuota: Record<string, number>;
  /**
   * How many GPUs beyond its quota the team may borrow from the cohort (per pool). Unset means no limit.
   * @default {}
   */
  gpuBorrowingLimit?: Record<string, number>;
  /**
   * CPU the team may request in total (a Kubernetes quantity).
   * @default "64"
   */
  cpuQuota?: string;
  /**
   * Memory the team may request in total (a Kubernetes quantity).
   * @default "256Gi"
   */
  memoryQuota?: string;
  /**
   * Scheduling priority of the team's jobs.
   * @default "standard"
   */
  priority?: TrainingPriority;
}

/** GPU training capacity shared fairly between teams. */
export interface TrainingClusterSpec {
  /** GPU node pools, one per accelerator type. */
  pools: GpuPoolSpec[];
  /** Teams and their quotas. */
  teams: TrainingTeamSpec[];
  /**
   * Name of the cohort whose members lend unused quota to each other.
   * @default "<component name>"
   */
  cohort?: string;
}

/** The model registry and experiment tracking server. */
export interface ModelRegistrySpec {
  /**
   * Where model artifacts live: `s3://`, `gs://` or `wasbs://` URI. When unset, the component creates
   * the store (a bucket on clouds, a persistent volume on Kubernetes).
   * @default created by the component
   */
  artifactStoreUri?: string;
}

/** One model variant behind an endpoint. */
export interface ServingVariantSpec {
  /** Variant name (DNS label), e.g. `champion`. */
  name: string;
  /** Model to serve: a registry URI (`models:/<name>/<version>`) or an artifact URI. */
  modelUri: string;
  /**
   * Share of live traffic in percent. Weights of the non-shadow variants sum to 100.
   * @default 100 for a single variant
   */
  weight?: number;
  /**
   * A shadow variant gets a mirrored copy of requests; its responses are discarded.
   * @default false
   */
  shadow?: boolean;
  /**
   * Minimum replicas (or instances).
   * @default 1
   */
  minReplicas?: number;
  /**
   * Maximum replicas (or instances).
   * @default 3
   */
  maxReplicas?: number;
  /**
   * Accelerator, when the model needs a GPU.
   * @default none (CPU)
   */
  accelerator?: AcceleratorName;
  /**
   * Container image that serves this variant's model, for flavours the endpoint's default model
   * server image cannot load (its Python environment must hold the flavour's libraries). On
   * Kubernetes the default image is MLflow's core image, which serves `python_function` models whose
   * dependencies are MLflow's own (scikit-learn, NumPy, pandas, SciPy).
   * @default the endpoint's model server image
   */
  image?: string;
}

/** One step of a progressive rollout. */
export interface RolloutStepSpec {
  /**
   * Percent of the variant's traffic sent to the new version at this step (1–100). Where the canary
   * is weighted by replicas (Kubernetes), a step whose share the variant's replica counts cannot
   * come close to is refused.
   */
  weight: number;
  /**
   * Seconds to hold this step while the analysis watches the SLO.
   * @default 300
   */
  pauseSeconds?: number;
}

/** Canary rollout with automatic rollback on SLO breach. */
export interface RolloutSpec {
  /**
   * Progressive steps.
   * @default 5% → 25% → 50% → 100%, 5 minutes each (on Kubernetes, only the steps each variant's
   * replica counts can express)
   */
  steps?: RolloutStepSpec[];
  /**
   * Roll back when the error rate (share of requests answered 5xx or left unanswered, 0–1) exceeds this.
   * @default 0.01
   */
  maxErrorRate?: number;
  /**
   * Roll back when p99 latency exceeds this many milliseconds.
   * @default 500
   */
  maxP99LatencyMs?: number;
}

/**
 * The model promotion gate: `mlops evaluate` scores a labelled holdout with each new version before it
 * takes any traffic, and a version that fails a gate is rolled back like one that breaches its SLO.
 * Models are ONNX files; the runtime reads them from files, so on Kubernetes they are absolute paths
 * on a volume mounted into the gate's job (the holdout may also be in object storage).
 */
export interface PromotionGateSpec {
  /**
   * The labelled holdout (CSV, JSON Lines or Parquet): an `s3://`, `gs://`, `az://` or `abfss://` URI
   * (a file, a prefix ending in `/` or a glob), or an absolute path the gate's job can read.
   */
  holdoutUri: string;
  /** Column of the holdout holding the true label (classification) or target (regression). */
  labelColumn: string;
  /**
   * Protected attribute for the fairness gates; disparate impact ≥ 0.8 (the four-fifths rule)
   * applies unless `gates.fairness` says otherwise.
   * @default none (no fairness gate)
   */
  protectedColumn?: string;
  /**
   * Feature columns in the model's input order.
   * @default every column but the label and the protected attribute, in file order
   */
  featureColumns?: string[];
  /**
   * ONNX file of the model in production, which the candidate must beat (`gates.champion`).
   * @default none (only the absolute gates apply)
   */
  championModelUri?: string;
  /**
   * ONNX file of each variant's new version, by variant name; variants not named are gated on their
   * own `modelUri`, which must then be an ONNX file the job can read.
   * @default {} (every variant's `modelUri`)
   */
  candidateModelUris?: Record<string, string>;
  /**
   * The gates file's content (YAML or JSON), as `mlops evaluate --gates` reads it: `metrics`,
   * `champion`, `fairness`, `latency`, `threshold`; unknown keys are refused at construction. E.g.
   * `"metrics: {rocAuc: {min: 0.8}}\nchampion: {metric: rocAuc, margin: 0}"`.
   * @default "{}" (with `protectedColumn`, the four-fifths rule; without, no gate but a model that scores the holdout)
   */
  gates?: string;
}

/** A serving endpoint with weighted variants. */
export interface ServingEndpointSpec {
  /** Endpoint name (DNS label). */
  name: string;
  /** Model variants. */
  variants: ServingVariantSpec[];
  /**
   * Canary rollout of new versions of each variant.
   * @default enabled with the defaults of {@link RolloutSpec}
   */
  rollout?: RolloutSpec;
  /**
   * Percent of requests and responses captured for monitoring (0 turns capture off).
   * @default 100
   */
  captureSamplingPercent?: number;
  /**
   * Evaluate each new version on a holdout against its gates before the canary's first step.
   * @default none (no promotion gate)
   */
  promotionGate?: PromotionGateSpec;
}

/** Scheduled drift and data-quality monitoring of the endpoints. */
export interface MonitoringSpec {
  /**
   * Cron schedule of the drift job (5 fields, UTC).
   * @default "0 * * * *"
   */
  schedule?: string;
  /** The reference: a profile (`*.profile.json`) or a data file written by `mlops profile`. */
  referenceUri: string;
  /**
   * Share of drifted columns above which the dataset is considered drifted (0–1).
   * @default 0.5
   */
  driftShareThreshold?: number;
  /**
   * Parallel workers of the drift job; more than one runs sharded and merges the profiles.
   * @default 1
   */
  workers?: number;
  /**
   * URL called (HTTP POST with the JSON report) when the verdict is drift. It is kept secret (it often
   * carries a token); it must not hold credentials (`user:password@`).
   * @default none
   */
  retrainWebhookUrl?: pulumi.Input<string>;
  /**
   * Alert when the endpoint's error rate (0–1) exceeds this for 5 minutes.
   * @default 0.05
   */
  errorRateAlertThreshold?: number;
  /**
   * Alert when p99 latency exceeds this many milliseconds for 5 minutes.
   * @default 1000
   */
  p99LatencyAlertMs?: number;
}
