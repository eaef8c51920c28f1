// A realistic week for tests, previews and the demo: every section has something in it, and the posts carry
// the markup and personal data a real feed does (so escaping and masking are exercised, not assumed).
import type { DigestData } from "./assemble.js";

export function sampleDigestData(overrides: Partial<DigestData> = {}): DigestData {
  return {
    brand: "Acme Recovery",
    week: "2026-W47",
    periodLabel: "16–22 Nov 2026",
    volume: {
      total: 412,
      previousWeek: 355,
      relevant: 301,
      byDay: [
        { label: "Mon", count: 71 },
        { label: "Tue", count: 88 },
        { label: "Wed", count: 64 },
        { label: "Thu", count: 59 },
        { label: "Fri", count: 60 },
        { label: "Sat", count: 38 },
        { label: "Sun", count: 32 },
      ],
    },
    grievances: [
      {
        category: "communication_tactics",
        label: "Calls and messages",
        count: 96,
        previousWeek: 80,
        examples: [
          {
            text: "They called me 6 times today at work, my number is 555-201-7788 <b>STOP</b>",
            source: "X",
            url: "https://x.com/a/status/1",
          },
        ],
      },
      {
        category: "payment_service",
        label: "Payments and service",
        count: 74,
        previousWeek: 41,
        examples: [
          {
            text: "Payment portal down again & nobody answers the phone",
            source: "Reddit",
            url: "https://reddit.com/r/x/1",
          },
        ],
      },
      { category: "debt_not_owed", label: "Not my debt", count: 52, previousWeek: 55, examples: [] },
      { category: "legal_threats", label: "Legal threats", count: 21, previousWeek: 24, examples: [] },
    ],
    sources: [
      { name: "X", count: 220 },
      { name: "Reddit", count: 96 },
      { name: "Google reviews", count: 61 },
      { name: "Trustpilot", count: 35 },
    ],
    spikes: [
      {
        subject: "Payments and service complaints on X",
        ts: "2026-11-17T14:00:00Z",
        count: 42,
        expected: 6.3,
        terms: ["payment portal", "error", "can't log in"],
        examples: [
          {
            text: "Is the payment portal broken for everyone?",
            source: "X",
            url: "https://x.com/b/status/2",
          },
        ],
        feedUrl: "https://rapport.example.com/mentions?brand=acme&category=payment_service",
      },
    ],
    response: {
      medianFirstReplyMinutes: 94,
      withinSlaShare: 0.82,
      slaLabel: "4 business hours",
      replied: 133,
      openBacklog: 27,
      overdue: 5,
    },
    rightsEvents: [
      { label: "Disputes", count: 9 },
      { label: "Cease contact", count: 4 },
      { label: "Attorney", count: 2 },
    ],
    complianceBlocks: [
      { rule: "B1", label: "confirmed a debt", count: 6 },
      { rule: "B2", label: "amount or account number", count: 3 },
    ],
    recovery: { answered: 120, recovered: 41 },
    notable: [
      {
        text: "Filed a CFPB complaint about Acme. <script>alert('x')</script> Email me at jo.doe@example.com",
        source: "X",
        url: "https://x.com/c/status/3",
        note: "regulator mentioned",
        reach: 48200,
      },
      {
        text: "Honestly the agent was kind and set things right. Thank you!",
        source: "Google reviews",
        url: null,
        note: "praise",
      },
    ],
    dashboardUrl: "https://rapport.example.com/",
    ...overrides,
  };
}
