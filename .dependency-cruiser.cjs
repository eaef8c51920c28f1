// The direction of dependencies (DESIGN.md "Layout"), checked by `npm run lint`:
//   domain  →  core (db, env, log, errors)  →  platform (src/platform, auth, classifier)
//           →  features (pipeline, services, jobs, notify, demo, connectors)  →  edges (web, cli, entry, deps, runtime)
// A module may import its own layer and the layers to its left, never to its right. Type-only imports of `Deps`
// (the bag of capabilities every feature receives) are allowed from anywhere: they carry no code.
const DOMAIN = "^src/domain/";
const CORE = "^src/(db/|env\\.ts|log\\.ts|errors\\.ts)";
const PLATFORM = "^src/(platform|auth|classifier)/";
const FEATURES = "^(src/(pipeline|services|jobs|notify|demo)/|connectors/)";
const EDGES = "^src/(web/|cli/|entry/|deps\\.ts|runtime\\.ts|cli\\.ts)";
const above = (...layers) => layers.join("|");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "src/domain is pure logic: it imports only itself and src/errors.ts, and no module that does I/O.",
      severity: "error",
      from: { path: DOMAIN, pathNot: "\\.test\\.tsx?$" },
      to: {
        // zod and csv-parse parse in memory; node:crypto only computes (keyed hashes of account identifiers).
        pathNot: [DOMAIN, "^src/errors\\.ts$", "^(node_modules/)?(zod|csv-parse)(/|$)", "^(node:)?crypto$"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "core-below-platform",
      severity: "error",
      from: { path: CORE, pathNot: "\\.test\\.tsx?$" },
      to: { path: above(PLATFORM, FEATURES, EDGES), dependencyTypesNot: ["type-only"] },
    },
    {
      name: "platform-below-features",
      comment: "Shared capabilities and policies serve every feature; a feature's code never becomes one of their dependencies.",
      severity: "error",
      from: { path: PLATFORM, pathNot: "\\.test\\.tsx?$" },
      to: { path: above(FEATURES, EDGES), dependencyTypesNot: ["type-only"] },
    },
    {
      name: "features-below-edges",
      comment: "Features are called by the web app, the CLI and the entries, and never call them.",
      severity: "error",
      from: { path: FEATURES, pathNot: "\\.test\\.tsx?$" },
      to: { path: EDGES, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "pipeline-below-services",
      comment: "Ingest (src/pipeline) is used by the services (push, reclassify, connection tests), not the reverse.",
      severity: "error",
      from: { path: "^src/pipeline/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^src/(services|jobs)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "services-below-jobs",
      comment: "Jobs schedule services; a service never reaches into the scheduler.",
      severity: "error",
      from: { path: "^src/services/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^src/jobs/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { pathNot: "\\.test\\.tsx?$" },
      // A cycle that closes only through type imports is no cycle at run time.
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.tsx?$|^src/classifier/model/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".json"] },
  },
};
