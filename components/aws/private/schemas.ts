import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { standardTagsSchema } from "../../core/tags";
import { input } from "../../core/validation";

/** An ARN (`arn:<partition>:<service>:...`); Outputs pass through unchecked. */
export const arnSchema = (service: string, example: string) =>
  input(
    z
      .string()
      .regex(
        new RegExp(`^arn:aws[a-z-]*:${service}:`),
        `must be an ${service} ARN. Fix: give e.g. '${example}'`,
      ),
  );

/** A KMS key ARN (the platform key, or one the stack names). */
export const kmsKeyArnSchema = arnSchema("kms", "arn:aws:kms:eu-west-1:111122223333:key/<id>");

/** A list of resource ids (subnets, security groups), each an Input. */
export const idListSchema = (prefix: string, what: string, min: number) =>
  z
    .array(
      input(
        z
          .string()
          .regex(new RegExp(`^${prefix}-[0-9a-f]+$`), `must be a ${what} id. Fix: e.g. '${prefix}-0abc1234'`),
      ),
    )
    .min(min, `needs at least ${min} ${what}(s). Fix: pass the private network's ${what}s`);

/** A 12-digit AWS account id. */
export const accountIdSchema = z
  .string()
  .regex(/^[0-9]{12}$/, "must be a 12-digit AWS account id. Fix: e.g. '111122223333'");

/** The wiring fields every AWS component takes: tags, protection and the platform key. */
export const awsBaseShape = {
  tags: standardTagsSchema,
  protect: z.boolean().default(true),
  kmsKeyArn: kmsKeyArnSchema,
};

/** The Input form of an id list after validation. */
export type Ids = pulumi.Input<string>[];
