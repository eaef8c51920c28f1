import { describe, expect, it } from "vitest";
import { loadEnv } from "../env.js";
import { slackWebhookProblem } from "./slack-webhook.js";

describe("the one rule for Slack webhooks", () => {
  it.each([
    ["https://hooks.slack.com/services/T000/B000/XXXX", null],
    ["http://127.0.0.1:9000/slack", null],
    ["http://localhost:9000/slack", null],
    ["http://hooks.slack.com/services/T/B/x", "must be an https:// URL"],
    ["https://internal.corp/admin", "must be on hooks.slack.com"],
    ["https://169.254.169.254/latest/meta-data", "must be on hooks.slack.com"],
    ["hooks.slack.com/services/T/B/x", "must be a URL like"],
  ])("%s", (url, problem) => {
    const found = slackWebhookProblem(url);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it("applies to SLACK_WEBHOOK_URL as it does to the dashboard", () => {
    expect(() => loadEnv({ SLACK_WEBHOOK_URL: "https://internal.corp/admin" })).toThrow(
      /SLACK_WEBHOOK_URL.*must be on hooks\.slack\.com/,
    );
    expect(loadEnv({ SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }).SLACK_WEBHOOK_URL).toBe(
      "https://hooks.slack.com/services/T/B/x",
    );
  });
});
