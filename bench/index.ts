// `npm run bench [-- <name>…]`: every benchmark prints its figures against its target. Timings live here,
// never in tests. Names: ingest, classifier, connectors, spikes, hostile, statement-cache, web (fills 1,000,000 mentions), compliance.
import { runClassifierBench } from "./classifier.js";
import { runComplianceBench } from "./compliance.js";
import { runConnectorBenchReviews } from "./connectors-reviews.js";
import { runConnectorBenchXrc } from "./connectors-xrc.js";
import { runHostileBench } from "./hostile.js";
import { runIngestBench } from "./ingest.js";
import { runSpikeBench } from "./spikes.js";
import { runStatementCacheBench } from "./statement-cache.js";
import { runWebBench } from "./web.js";

const BENCHES: Record<string, () => Promise<void>> = {
  ingest: () => runIngestBench(),
  classifier: () => runClassifierBench(),
  connectors: async () => {
    await runConnectorBenchXrc();
    await runConnectorBenchReviews();
  },
  spikes: () => runSpikeBench(),
  hostile: () => runHostileBench(),
  "statement-cache": () => runStatementCacheBench(),
  web: () => runWebBench(),
  compliance: () => runComplianceBench(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  await BENCHES[name]!();
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
