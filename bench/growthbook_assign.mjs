// growthbook_assign.mjs — the reference for `make bench`: the same CSV -> CSV assignment
// as `dcx assign` done with the GrowthBook JS SDK. Usage: node growthbook_assign.mjs IN OUT
// (NODE_PATH points at a folder with @growthbook/growthbook installed).
import { createRequire } from "module";
import fs from "fs";
const require = createRequire(process.env.NODE_PATH + "/");
const { GrowthBook } = require("@growthbook/growthbook");
const [, , inp, out] = process.argv;
const lines = fs.readFileSync(inp, "utf8").split("\n");
const exp = { key: "checkout-redesign", hashVersion: 2, variations: ["control", "treatment"], weights: [0.5, 0.5] };
const gb = new GrowthBook({ attributes: {} });
const parts = ["id,variant,bucket\n"];
for (let i = 1; i < lines.length; i++) {
  const id = lines[i];
  if (!id) continue;
  gb.setAttributes({ id });
  const r = gb.run(exp);
  parts.push(id + "," + (r.inExperiment ? exp.variations[r.variationId] : "") + "," + (r.bucket ?? "") + "\n");
}
fs.writeFileSync(out, parts.join(""));
