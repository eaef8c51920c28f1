// The one place that reads the environment. Everything else receives an `Env` value.
import { z } from "zod";
import { parseAllowList } from "./domain/egress.js";
import { slackWebhookProblem } from "./domain/slack-webhook.js";

const booleanish = z
  .enum(["0", "1", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

// Not node:net's isIP: this file is also loaded on Workers.
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isIpAddress = (v: string) => IPV4.test(v) || (v.includes(":") && /^[0-9a-f:.]+$/i.test(v));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Address to listen on; unset: 127.0.0.1 in demo mode (its admin login is published), else 0.0.0.0. */
  HOST: z
    .string()
    .refine(
      (v) => isIpAddress(v) || /^[a-z]([a-z0-9.-]*[a-z0-9])?$/i.test(v),
      "must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name",
    )
    .optional(),
  /** Comma-separated addresses of reverse proxies whose X-Forwarded-For names the real client (login limits). */
  TRUSTED_PROXIES: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isIpAddress), "must be IP addresses separated by commas")
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:|wss?:)/, "must start with file:, libsql:, http(s): or ws(s):")
    .default("file:data/rapport.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  RAPPORT_DEMO: booleanish.default(true),
  RAPPORT_SCHEDULER: booleanish.default(true),
  /** HTTP server processes (node:cluster) behind `npm start`; unset: one per CPU core, at most 4. */
  WEB_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** HMAC key for account identifiers and author keys; in demo mode a fixed development key is used. */
  RAPPORT_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)")
    .optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: booleanish.optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  // claude-sonnet-4-5 reaches end of life on 2026-11-30. The model must accept a forced tool call with
  // thinking disabled (Sonnet 5 does; Sonnet 5.5 refuses forced tool use).
  CLAUDE_MODEL: z.string().default("claude-sonnet-5"),
  CLASSIFIER_ENGINE: z.enum(["local", "claude", "hybrid"]).optional(),
  SLACK_WEBHOOK_URL: z
    .string()
    .url()
    // The same rule as a webhook set in the dashboard (src/domain/slack-webhook.ts).
    .superRefine((url, ctx) => {
      const problem = slackWebhookProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().default("Rapport <rapport@localhost>"),
  ACCOUNT_WEBHOOK_URL: z.string().url().optional(),
  ACCOUNT_WEBHOOK_SECRET: z.string().optional(),
  RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  /**
   * Hosts the server may reach although they are loopback, private or link-local (a proxy, a test server):
   * comma-separated host, host:port, IP or [IPv6]:port. Everything else on such addresses is refused.
   */
  EGRESS_ALLOW: z
    .string()
    .refine((value) => Array.isArray(parseAllowList(value)), {
      error: (issue) => {
        const parsed = parseAllowList(String(issue.input));
        return Array.isArray(parsed) ? "invalid" : parsed.error;
      },
    })
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

const DEMO_SECRET = "rapport-demo-secret-do-not-use-in-production-000000";

/** Validates the environment once, at the edge; the message names each bad variable and how to fix it. */
export function loadEnv(
  raw: Record<string, string | undefined> = process.env,
): Env & { RAPPORT_SECRET: string; HOST: string } {
  // `NAME=` in an env file means "not set", as it does for every other tool reading .env.example copies.
  const source = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `  ${name}=${JSON.stringify(source[name] ?? "")}: ${issue.message}`;
    });
    throw new EnvError(
      `Invalid configuration:\n${lines.join("\n")}\nFix the variables above (see .env.example for every setting).`,
    );
  }
  const env = {
    ...parsed.data,
    HOST: parsed.data.HOST ?? (parsed.data.RAPPORT_DEMO ? "127.0.0.1" : "0.0.0.0"),
  };
  if ((env.CLASSIFIER_ENGINE === "claude" || env.CLASSIFIER_ENGINE === "hybrid") && !env.ANTHROPIC_API_KEY) {
    throw new EnvError(
      `Invalid configuration:\n  CLASSIFIER_ENGINE=${env.CLASSIFIER_ENGINE} needs ANTHROPIC_API_KEY: set the key, or use CLASSIFIER_ENGINE=local to run offline.`,
    );
  }
  if (!env.RAPPORT_SECRET) {
    // The demo key is public (it is in this file): real account identifiers must never be keyed with it.
    if (!env.RAPPORT_DEMO && env.NODE_ENV !== "test") {
      throw new EnvError(
        "Invalid configuration:\n  RAPPORT_SECRET is required when RAPPORT_DEMO=0: set it to 32+ random characters (e.g. `openssl rand -hex 32`).",
      );
    }
    return { ...env, RAPPORT_SECRET: DEMO_SECRET };
  }
  return env as Env & { RAPPORT_SECRET: string; HOST: string };
}

/**
 * For processes that send Slack alerts or e-mail (the server, the Worker, `poll`, `digest`…): their links lead
 * back to the dashboard, and without PUBLIC_URL they would point at http://localhost. Commands that send nothing
 * (`classify`, `lint-reply`, `users`…) do not need it, so it is not part of loadEnv.
 */
export function requirePublicUrl(env: AppEnv): void {
  const linkSenders = [env.SLACK_WEBHOOK_URL && "SLACK_WEBHOOK_URL", env.SMTP_URL && "SMTP_URL"].filter(
    Boolean,
  );
  if (!env.RAPPORT_DEMO && env.NODE_ENV !== "test" && !env.PUBLIC_URL && linkSenders.length > 0) {
    throw new EnvError(
      `Invalid configuration:\n  PUBLIC_URL is required when RAPPORT_DEMO=0 and ${linkSenders.join(" or ")} is set: set it to the address people open the dashboard at (e.g. PUBLIC_URL=https://rapport.example.com), so links in Slack alerts and digest e-mails work.`,
    );
  }
}

export type AppEnv = ReturnType<typeof loadEnv>;
