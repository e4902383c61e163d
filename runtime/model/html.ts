import type { EvaluationReport } from "./evaluate";
export function evaluationHtml(report: EvaluationReport): string {
  return JSON.stringify(report);
}
