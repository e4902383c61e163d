import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../../core/naming";

/** Options of {@link rollbackAlarms}. */
export interface RollbackAlarmOptions {
  endpointName: string;
  variant: string;
  /** Roll back above this 5xx share (0–1). */
  maxErrorRate: number;
  /** Roll back above this p99 model latency, in milliseconds. */
  maxP99LatencyMs: number;
  tags: Record<string, string>;
  /** SNS topics notified too (the monitoring topic), besides the rollback. */
  actions?: pulumi.Input<string>[];
}

const NAMESPACE = "AWS/SageMaker";

/**
 * The alarms a deployment rolls back on, for one variant, on the endpoint metrics SageMaker
 * publishes every minute (docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html):
 * any `Invocation5XXErrors` in a minute, the 5xx share of `Invocations` above `maxErrorRate` (metric
 * math), and p99 `ModelLatency` (reported in microseconds) above `maxP99LatencyMs`. Missing data is
 * "not breaching": an idle variant must not block a deployment.
 */
export function rollbackAlarms(
  name: string,
  o: RollbackAlarmOptions,
  parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm[] {
  const dimensions = { EndpointName: o.endpointName, VariantName: o.variant };
  const common = {
    treatMissingData: "notBreaching",
    alarmActions: o.actions ?? [],
    okActions: o.actions ?? [],
    tags: o.tags,
  };
  const opts = { parent };
  const fiveXx = new aws.cloudwatch.MetricAlarm(
    childName(name, o.variant, "5xx"),
    {
      alarmDescription: `${o.endpointName}/${o.variant}: the model returned 5xx errors`,
      namespace: NAMESPACE,
      metricName: "Invocation5XXErrors",
      dimensions,
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      ...common,
    },
    opts,
  );
  const errorRate = new aws.cloudwatch.MetricAlarm(
    childName(name, o.variant, "error-rate"),
    {
      alarmDescription: `${o.endpointName}/${o.variant}: 5xx share above ${o.maxErrorRate}`,
      metricQueries: [
        {
          id: "errors",
          metric: {
            namespace: NAMESPACE,
            metricName: "Invocation5XXErrors",
            dimensions,
            stat: "Sum",
            period: 60,
          },
          returnData: false,
        },
        {
          id: "invocations",
          metric: { namespace: NAMESPACE, metricName: "Invocations", dimensions, stat: "Sum", period: 60 },
          returnData: false,
        },
        // docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (IF, division by zero gives no data).
        {
          id: "rate",
          expression: "IF(invocations > 0, errors / invocations, 0)",
          label: "5xx share",
          returnData: true,
        },
      ],
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: o.maxErrorRate,
      comparisonOperator: "GreaterThanThreshold",
      ...common,
    },
    opts,
  );
  const latency = new aws.cloudwatch.MetricAlarm(
    childName(name, o.variant, "p99-latency"),
    {
      alarmDescription: `${o.endpointName}/${o.variant}: p99 model latency above ${o.maxP99LatencyMs} ms`,
      namespace: NAMESPACE,
      metricName: "ModelLatency",
      dimensions,
      extendedStatistic: "p99",
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // ModelLatency is in microseconds.
      threshold: o.maxP99LatencyMs * 1000,
      comparisonOperator: "GreaterThanThreshold",
      ...common,
    },
    opts,
  );
  return [fiveXx, errorRate, latency];
}
