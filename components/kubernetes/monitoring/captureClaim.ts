import * as pulumi from "@pulumi/pulumi";
import { ArgsValidationError } from "../../core/validation";

/** The resolved capture claim, or the error that names the endpoint capturing nothing. */
export function requireClaim(name: string, claim: string | undefined): string {
  if (claim === undefined || claim === "") {
    throw new ArgsValidationError("KubernetesMonitoring", name, [
      {
        path: "args.captureClaimName",
        value: claim,
        message:
          "resolved to no claim: the endpoint captures nothing (captureSamplingPercent 0), so the drift job would have nothing to read. Fix: capture a share of the endpoint's requests, or leave it unmonitored",
      },
    ]);
  }
  return claim;
}

/**
 * The capture claim, refused when it resolves to nothing: an Output (the endpoint's
 * `captureVolumeClaimName`) is only known during the deployment, so the check runs then, before the
 * CronJob is sent with an empty claim name.
 */
export function knownClaim(name: string, claim: pulumi.Input<string | undefined>): pulumi.Input<string> {
  return pulumi.output(claim).apply((c) => requireClaim(name, c));
}
