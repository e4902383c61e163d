/**
 * The AWS slice: the five concerns on AWS, each a `mlops:index:Aws<Concern>` component whose args
 * extend the neutral spec with AWS options. The network and the platform key are builders in
 * `private/` that the slice's `platform.ts` (to come with the platform restructure) calls.
 */
export {
  AwsFeatureStore,
  type AwsFeatureStoreArgs,
  type AwsFeatureStoreOptions,
  EventTimeFormat,
  FeatureStoreThroughputMode,
  OfflineTableFormat,
} from "./featureStore";
export {
  AwsModelRegistry,
  type AwsModelRegistryArgs,
  type AwsModelRegistryOptions,
  MlflowTrackingServerSize,
} from "./modelRegistry";
export {
  AwsMonitoring,
  type AwsMonitoringArgs,
  type AwsMonitoringOptions,
  RetrainTarget,
} from "./monitoring";
export {
  AwsServingEndpoint,
  type AwsServingEndpointArgs,
  type AwsServingEndpointOptions,
} from "./servingEndpoint";
export {
  AwsTrainingCluster,
  type AwsTrainingClusterArgs,
  type AwsTrainingClusterOptions,
  AwsTrainingMode,
} from "./trainingCluster";
