// growthbook_vectors.mjs — assignment test vectors from the real GrowthBook JS SDK.
//
// Regenerate (needs node and network access to npm), from the project root:
//   mkdir -p /tmp/gb && (cd /tmp/gb && npm install @growthbook/growthbook)
//   NODE_PATH=/tmp/gb/node_modules node tests/reference/growthbook_vectors.mjs \
//     > tests/reference/growthbook_vectors.jsonl
// Each line: {"config": <dcx experiment config>, "id", "variant" (name or null),
// "bucket" (the experiment hash, or null for an empty id)}. The first line records the
// SDK version. Holdouts are not a GrowthBook feature: a unit is held out when the SDK's
// version-2 hash of the holdout seed is below the share, which is exactly "variation 0"
// of an experiment keyed by that seed with weights [share, 1 - share].
import { createRequire } from "module";
const require = createRequire(process.env.NODE_PATH + "/");
const { GrowthBook } = require("@growthbook/growthbook");
const pkg = require("@growthbook/growthbook/package.json");

const configs = [
  { key: "checkout-redesign", variants: [{ name: "control", weight: 0.5 }, { name: "treatment", weight: 0.5 }] },
  { key: "checkout-redesign", hash_version: 1, variants: [{ name: "control", weight: 0.5 }, { name: "treatment", weight: 0.5 }] },
  { key: "search-ranking", seed: "sr-2026-q3", variants: [{ name: "a", weight: 0.2 }, { name: "b", weight: 0.3 }, { name: "c", weight: 0.5 }] },
  { key: "nav", coverage: 0.37, variants: [{ name: "control", weight: 0.5 }, { name: "v1", weight: 0.5 }] },
  { key: "nav", hash_version: 1, coverage: 0.2, variants: [{ name: "control", weight: 0.2 }, { name: "b", weight: 0.3 }, { name: "c", weight: 0.5 }] },
  { key: "three", variants: [{ name: "x", weight: 0.3334 }, { name: "y", weight: 0.3333 }, { name: "z", weight: 0.3333 }] },
  { key: "four", variants: [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }] },
  { key: "three-equal", hash_version: 1, variants: [{ name: "a" }, { name: "b" }, { name: "c" }] },
  { key: "almost", variants: [{ name: "a", weight: 0.4 }, { name: "b", weight: 0.5999 }] },
  { key: "zero-cov", coverage: 0, variants: [{ name: "a", weight: 0.5 }, { name: "b", weight: 0.5 }] },
  { key: "ns-left", namespace: { id: "checkout", range: [0, 0.5] }, variants: [{ name: "control", weight: 0.5 }, { name: "treatment", weight: 0.5 }] },
  { key: "ns-right", namespace: { id: "checkout", range: [0.5, 1] }, variants: [{ name: "control", weight: 0.5 }, { name: "treatment", weight: 0.5 }] },
  { key: "ns-mid", hash_version: 1, coverage: 0.8, namespace: { id: "pricing", range: [0.25, 0.6] }, variants: [{ name: "a", weight: 0.7 }, { name: "b", weight: 0.3 }] },
  { key: "ünïcödé-key", seed: "séed-ß-日本", variants: [{ name: "control", weight: 0.5 }, { name: "treatment", weight: 0.5 }] },
  { key: "emoji", seed: "🚀launch", hash_version: 1, variants: [{ name: "control", weight: 0.1 }, { name: "treatment", weight: 0.9 }] },
  { key: "uneven", variants: [{ name: "control", weight: 0.9 }, { name: "treatment", weight: 0.1 }] },
  { key: "held", holdout: { seed: "global-holdout", share: 0.05 }, variants: [{ name: "control", weight: 0.5 }, { name: "treatment", weight: 0.5 }] },
  { key: "held-ns", hash_version: 1, holdout: { seed: "hold-2026", share: 0.2 }, namespace: { id: "growth", range: [0.1, 0.9] }, coverage: 0.9, variants: [{ name: "a", weight: 0.25 }, { name: "b", weight: 0.75 }] },
];

const ids = ["", "1", "2", "3", "123", "0", "-1", "1e9", "007", "alice", "bob", "Alice", "alice@example.com",
  "first.last+tag@sub.example.co.uk", "a,b", "\"quoted\"", "comma, and \"quote\"", " leading space", "trailing space ",
  "tab\there", "José", "Müller", "Ærøskøbing", "naïve café", "北京", "日本語のユーザー", "한국어", "Ελληνικά", "русский",
  "עברית", "العربية", "🙂", "user🚀42", "👩‍👩‍👧", "e\u0301", "\u00e9", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "x".repeat(200)];
for (let i = 0; i < 200; i++) ids.push("u" + (i * 7919 % 100003));
for (let i = 0; i < 20; i++) ids.push(String(1000000000 + i * 104729));
for (let i = 0; i < 10; i++) ids.push("anon-" + (i * 2654435761 % 4294967296).toString(16));

function run(attrs, exp) {
  const gb = new GrowthBook({ attributes: attrs });
  return gb.run(exp);
}

function sdkExperiment(c, withLimits) {
  const e = { key: c.key, seed: c.seed || c.key, hashVersion: c.hash_version || 2, variations: c.variants.map((v) => v.name) };
  if (c.variants[0].weight !== undefined) e.weights = c.variants.map((v) => v.weight);
  if (withLimits) {
    if (c.coverage !== undefined) e.coverage = c.coverage;
    if (c.namespace) e.namespace = [c.namespace.id, c.namespace.range[0], c.namespace.range[1]];
  }
  return e;
}

console.log(JSON.stringify({ generator: "tests/reference/growthbook_vectors.mjs", sdk: "@growthbook/growthbook " + pkg.version }));
for (const c of configs) {
  for (const id of ids) {
    let variant = null, bucket = null;
    if (id !== "") {
      bucket = run({ id }, sdkExperiment(c, false)).bucket;
      const r = run({ id }, sdkExperiment(c, true));
      variant = r.inExperiment ? c.variants[r.variationId].name : null;
      if (c.holdout) {
        const h = run({ id }, { key: c.holdout.seed, seed: c.holdout.seed, hashVersion: 2,
          variations: [0, 1], weights: [c.holdout.share, 1 - c.holdout.share] });
        if (h.inExperiment && h.variationId === 0) variant = null;
      }
    }
    console.log(JSON.stringify({ config: c, id, variant, bucket }));
  }
}
