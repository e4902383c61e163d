/**
 * The platform program: reads the stack's config (`stacks/Pulumi.<stack>.yaml`), validates it, and
 * builds the whole platform on the stack's cloud.
 */
import { MlPlatform } from "../components/platform";
import { readPlatformArgs, withConfigErrors } from "./config";

const platform = withConfigErrors(() => new MlPlatform("platform", readPlatformArgs()));

export const trackingUri = platform.trackingUri;
export const registryUri = platform.registryUri;
export const featureServerUrl = platform.featureServerUrl;
export const endpointUrls = platform.endpointUrls;
export const teamQueues = platform.teamQueues;
