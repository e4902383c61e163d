// Installs the offline preview's capture mocks in every infrastructure test worker, before the test
// file imports any component, so tests assert on exactly what `mlops preview` would register.
import { installCapture } from "../../offline/capture.js";

const session = await installCapture({
  project: "mlops",
  stack: "test",
  preview: true,
  config: { "aws:region": "eu-west-1", "gcp:project": "test-project", "gcp:region": "europe-west4" },
});
(globalThis as { __mlopsCapture?: typeof session }).__mlopsCapture = session;
