import { describe, expect, it } from "vitest";
import { EnvError, loadEnv, requirePublicUrl } from "./env.js";

describe("loadEnv", () => {
  it("defaults to the embedded database, port 8787 and the demo", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ DATABASE_URL: "file:data/rapport.db", PORT: 8787, RAPPORT_DEMO: true });
  });

  it("names the bad variable and the fix", () => {
    expect(() => loadEnv({ PORT: "eighty" })).toThrow(EnvError);
    expect(() => loadEnv({ PORT: "eighty" })).toThrow(/PORT="eighty"/);
    expect(() => loadEnv({ DATABASE_URL: "postgres://x" })).toThrow(
      /DATABASE_URL.*must start with file:, libsql:/s,
    );
    expect(() => loadEnv({ RAPPORT_SECRET: "short" })).toThrow(/RAPPORT_SECRET.*at least 32 characters/s);
    expect(() => loadEnv({ RAPPORT_DEMO: "maybe" })).toThrow(/RAPPORT_DEMO/);
  });

  it("treats blank entries (a copied .env.example) as unset", () => {
    expect(loadEnv({ PUBLIC_URL: "", SMTP_URL: " ", PORT: "" })).toMatchObject({ PORT: 8787 });
    expect(loadEnv({ PUBLIC_URL: "" }).PUBLIC_URL).toBeUndefined();
  });

  it("requires a secret without the demo", () => {
    expect(() => loadEnv({ NODE_ENV: "development", RAPPORT_DEMO: "0" })).toThrow(
      /RAPPORT_SECRET is required/,
    );
    expect(() => loadEnv({ NODE_ENV: "production", RAPPORT_DEMO: "0" })).toThrow(
      /RAPPORT_SECRET is required/,
    );
  });

  it("requires PUBLIC_URL without the demo where Slack or e-mail would carry links", () => {
    const production = { RAPPORT_DEMO: "0", RAPPORT_SECRET: "s".repeat(32) };
    const check = (vars: Record<string, string>) => () =>
      requirePublicUrl(loadEnv({ ...production, ...vars }));
    expect(check({ SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" })).toThrow(
      /PUBLIC_URL is required when RAPPORT_DEMO=0 and SLACK_WEBHOOK_URL is set: set it to .*PUBLIC_URL=https:/,
    );
    expect(check({ SMTP_URL: "smtp://mail.example.com:587" })).toThrow(
      /PUBLIC_URL is required .* SMTP_URL is set/,
    );
    // Blank means unset, as everywhere else.
    expect(check({ SMTP_URL: "smtp://mail.example.com", PUBLIC_URL: " " })).toThrow(/PUBLIC_URL is required/);
    expect(
      check({ SMTP_URL: "smtp://mail.example.com", PUBLIC_URL: "https://rapport.example.com" }),
    ).not.toThrow();
    // Nothing sends links, or the demo: localhost is fine.
    expect(check({})).not.toThrow();
    expect(() =>
      requirePublicUrl(loadEnv({ SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" })),
    ).not.toThrow();
    // Loading the configuration alone does not ask for it: commands that send nothing run without it.
    expect(
      loadEnv({ ...production, SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }).PUBLIC_URL,
    ).toBeUndefined();
  });

  it("requires an API key for the Claude engines", () => {
    expect(() => loadEnv({ CLASSIFIER_ENGINE: "claude" })).toThrow(/needs ANTHROPIC_API_KEY/);
    expect(loadEnv({ CLASSIFIER_ENGINE: "local" }).CLASSIFIER_ENGINE).toBe("local");
  });

  it("accepts Turso URLs with a token", () => {
    expect(
      loadEnv({ DATABASE_URL: "libsql://db.example.turso.io", DATABASE_AUTH_TOKEN: "t" }).DATABASE_AUTH_TOKEN,
    ).toBe("t");
  });

  it("lists every variable in .env.example", async () => {
    const { readFileSync } = await import("node:fs");
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const source = readFileSync(new URL("./env.ts", import.meta.url), "utf8");
    const names = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(example).toMatch(new RegExp(`^${name}=`, "m"));
  });
});
