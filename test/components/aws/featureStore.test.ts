import { describe, expect, it } from "vitest";
import { AwsFeatureStore, featureStoreStatements } from "../../../components/aws/featureStore";
import { ofType } from "../../helpers/capture";
import {
  childrenOf,
  expectSecureBuckets,
  expectStatefulProtected,
  expectTagged,
  KEY_ARN,
  resolved,
  tags,
} from "./helpers";

const spec = {
  entities: [
    { name: "customer", joinKeys: ["customer_id"], valueType: "int64" as const },
    { name: "merchant", joinKeys: ["merchant_id"], valueType: "string" as const },
  ],
  featureViews: [
    {
      name: "customer_stats",
      entities: ["customer"],
      features: [
        { name: "txn_count_7d", type: "int32" as const },
        { name: "avg_amount_7d", type: "float64" as const },
        { name: "is_vip", type: "bool" as const },
      ],
      ttlSeconds: 3600,
      sourcePath: "customers/stats.parquet",
      timestampField: "event_ts",
    },
    {
      name: "merchant_risk",
      entities: ["merchant"],
      features: [{ name: "risk_score", type: "float32" as const }],
      ttlSeconds: 0,
      online: false,
      sourcePath: "merchants/risk.parquet",
      timestampField: "event_ts",
    },
  ],
};

new AwsFeatureStore("fs", { tags, kmsKeyArn: KEY_ARN, ...spec, tableFormat: "Iceberg" });

describe("AwsFeatureStore", () => {
  it("creates one feature group per view, keyed by the entity's join key with the view's event time", async () => {
    const groups = await ofType("aws:sagemaker/featureGroup:FeatureGroup", "fs");
    const stats = groups.find((g) => g.name === "fs-customer-stats")!;
    expect(stats.props).toMatchObject({
      featureGroupName: "fs-customer-stats",
      recordIdentifierFeatureName: "customer_id",
      eventTimeFeatureName: "event_ts",
      featureDefinitions: [
        { featureName: "customer_id", featureType: "Integral" },
        { featureName: "event_ts", featureType: "String" },
        { featureName: "txn_count_7d", featureType: "Integral" },
        { featureName: "avg_amount_7d", featureType: "Fractional" },
        { featureName: "is_vip", featureType: "Integral" },
      ],
      throughputConfig: { throughputMode: "OnDemand" },
    });
    expect(groups.find((g) => g.name === "fs-merchant-risk")!.props.featureDefinitions[0]).toEqual({
      featureName: "merchant_id",
      featureType: "String",
    });
  });

  it("encrypts the online store with the key and sets its TTL from ttlSeconds; offline-only views have no online store", async () => {
    const groups = await ofType("aws:sagemaker/featureGroup:FeatureGroup", "fs");
    const stats = groups.find((g) => g.name === "fs-customer-stats")!;
    expect(stats.props.onlineStoreConfig).toEqual({
      enableOnlineStore: true,
      storageType: "Standard",
      securityConfig: { kmsKeyId: KEY_ARN },
      ttlDuration: { unit: "Seconds", value: 3600 },
    });
    const risk = groups.find((g) => g.name === "fs-merchant-risk")!;
    expect(risk.props.onlineStoreConfig).toEqual({ enableOnlineStore: false });
    for (const g of groups) {
      expect(g.props.offlineStoreConfig.tableFormat).toBe("Iceberg");
      expect(g.props.offlineStoreConfig.s3StorageConfig.kmsKeyId).toBe(KEY_ARN);
    }
  });

  it("keeps the offline store in a secure bucket; protects it and the groups; tags everything", async () => {
    const children = await childrenOf("mlops:index:AwsFeatureStore", "fs");
    expect(expectSecureBuckets(children, KEY_ARN)).toBe(1);
    expect(
      expectStatefulProtected(children)
        .map((c) => c.type)
        .sort(),
    ).toEqual([
      "aws:s3/bucket:Bucket",
      "aws:sagemaker/featureGroup:FeatureGroup",
      "aws:sagemaker/featureGroup:FeatureGroup",
    ]);
    expectTagged(children, tags);
  });

  it("gives the feature groups a least-privilege role", async () => {
    const statements = await resolved(
      featureStoreStatements("arn:aws:s3:::o", KEY_ARN, "arn:aws:glue:eu-west-1:1"),
    );
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.filter((a) => a.endsWith("*"))).toEqual([]);
    expect(statements[2]!.Resource).toEqual([
      "arn:aws:glue:eu-west-1:1:catalog",
      "arn:aws:glue:eu-west-1:1:database/sagemaker_featurestore",
      "arn:aws:glue:eu-west-1:1:table/sagemaker_featurestore/*",
    ]);
  });

  it("refuses views SageMaker cannot express, naming the field", () => {
    const two = { ...spec.featureViews[0]!, entities: ["customer", "merchant"] };
    expect(
      () => new AwsFeatureStore("bad1", { tags, kmsKeyArn: KEY_ARN, ...spec, featureViews: [two] }),
    ).toThrow(/args\.featureViews\[0\]\.entities = \["customer","merchant"\]: .*one record identifier/);
    const trailing = { ...spec.featureViews[0]!, features: [{ name: "score_", type: "float32" as const }] };
    expect(
      () => new AwsFeatureStore("bad2", { tags, kmsKeyArn: KEY_ARN, ...spec, featureViews: [trailing] }),
    ).toThrow(/args\.featureViews\[0\]\.features\[0\]\.name = "score_"/);
    expect(
      () =>
        new AwsFeatureStore("bad3", {
          tags,
          kmsKeyArn: KEY_ARN,
          ...spec,
          featureViews: [{ ...spec.featureViews[0]!, entities: ["nobody"] }],
        }),
    ).toThrow(/args\.featureViews\[0\]\.entities\[0\]/);
  });
});
