import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MlPlatform } from "../../components/platform";
import { SECRET_PLACEHOLDER } from "../../offline/project";
import { isSecret } from "../../offline/properties";
import { readPlatformArgs, withConfigErrors } from "../../stacks/config";
import { one } from "../helpers/capture";

/** A stack file's config as the CLI hands it over: every value a string. */
function stackConfig(webhook: string, namespace: string): Record<string, string> {
  return {
    "mlops:cloud": "kubernetes",
    "mlops:owner": "ml-platform",
    "mlops:costCenter": "cc-1",
    "mlops:environment": "dev",
    "mlops:servingEndpoints": JSON.stringify([
      { name: "scorer", variants: [{ name: "a", modelUri: "s3://models/scorer/1" }] },
    ]),
    "mlops:monitoring": JSON.stringify({ referenceUri: "configmap://r/p.json", retrainWebhookUrl: webhook }),
    "mlops:kubernetes": JSON.stringify({ namespace }),
  };
}

describe("the retraining webhook URL in a stack file", () => {
  it("previews from a `secure:` value (an offline run sees only a placeholder), kept secret", async () => {
    pulumi.runtime.setAllConfig(stackConfig(SECRET_PLACEHOLDER, "secure"), ["mlops:monitoring"]);
    const args = readPlatformArgs();
    expect(pulumi.Output.isInstance(args.monitoring?.retrainWebhookUrl)).toBe(true);
    expect(() => withConfigErrors(() => new MlPlatform("secure", args))).not.toThrow();
    const platform = await one("mlops:index:MlPlatform", "secure");
    expect(isSecret((platform.inputs.monitoring as Record<string, unknown>).retrainWebhookUrl)).toBe(true);
  });

  it("validates a plain-text value, and names neither its credentials nor its path", () => {
    pulumi.runtime.setAllConfig(
      stackConfig("https://bot:pw@ci.example.com/hooks/x?token=t0ken", "plain"),
      [],
    );
    let message = "";
    try {
      withConfigErrors(() => new MlPlatform("plain", readPlatformArgs()));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /mlops:monitoring\.retrainWebhookUrl = "https:\/\/ci\.example\.com\/… \(rest hidden\)": holds credentials/,
    );
    for (const leak of ["bot", ":pw", "hooks", "t0ken"]) expect(message).not.toContain(leak);
  });
});
