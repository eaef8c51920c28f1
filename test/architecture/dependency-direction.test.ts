// The direction of dependencies (DESIGN.md "Layout") is a rule of the build, not a hope: the same check
// `npm run lint` runs (.dependency-cruiser.cjs) runs here, so CI refuses a change that turns an arrow around.
import { createRequire } from "node:module";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

async function violations(config: IConfiguration) {
  const result = await cruise(["src", "connectors"], { ruleSet: config, ...config.options, validate: true });
  if (typeof result.output === "string") throw new Error(result.output);
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe("dependency direction", () => {
  const config = require("../../.dependency-cruiser.cjs") as IConfiguration;

  it("has no import against the layers and no cycle", async () => {
    expect(await violations(config)).toEqual([]);
  });

  it("would catch an arrow turned around", async () => {
    // The rules are checked against a real graph: a domain module importing the database must be refused.
    const strict: IConfiguration = {
      ...config,
      forbidden: [
        {
          name: "probe-domain-to-taxonomy",
          severity: "error",
          from: { path: "^src/domain/status\\.ts$" },
          to: { path: "^src/domain/taxonomy\\.ts$" },
        },
      ],
    };
    expect(await violations(strict)).toContain(
      "probe-domain-to-taxonomy: src/domain/status.ts → src/domain/taxonomy.ts",
    );
  });
});
