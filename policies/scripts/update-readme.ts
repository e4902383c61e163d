/** Regenerates the rule catalogue in policies/README.md from the rules' metadata. */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CATALOGUE_END, CATALOGUE_START, rulesCatalogue } from "../lib/docs";
import { allRules } from "../rules";

const file = path.join(__dirname, "..", "README.md");
const text = readFileSync(file, "utf8");
const start = text.indexOf(CATALOGUE_START);
const end = text.indexOf(CATALOGUE_END);
if (start < 0 || end < start) {
  throw new Error(`${file}: markers ${CATALOGUE_START} … ${CATALOGUE_END} not found`);
}
writeFileSync(
  file,
  `${text.slice(0, start + CATALOGUE_START.length)}\n\n${rulesCatalogue(allRules)}\n${text.slice(end)}`,
);
console.log(`updated ${file} (${allRules.length} rules)`);
