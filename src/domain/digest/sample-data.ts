// A realistic week for tests, previews and the demo: every section has something in it, and the posts carry
// the markup and personal data a real feed does (so escaping and masking are exercised, not assumed).
import type { DigestData } from "./digest-data.js";

export function sampleDigestData(overrides: Partial<DigestData> = {}): DigestData {
  return {
    brand: "Acme Recovery",
    week: "2026-W47",
    periodLabel: "16–22 Nov 2026",
    volume: {
      total: 412,
      previousWeek: 355,
      relevant: 301,
      confirmed: 64,
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
        confirmed: 20,
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
        confirmed: 11,
        previousWeek: 41,
        examples: [
          {
            text: "Payment portal down again & nobody answers the phone",
            source: "Reddit",
            url: "https://reddit.com/r/x/1",
          },
        ],
      },
      {
        category: "debt_not_owed",
        label: "Not my debt",
        count: 52,
        confirmed: 9,
        previousWeek: 55,
        examples: [],
      },
      {
        category: "legal_threats",
        label: "Legal threats",
        count: 21,
        confirmed: 21,
        previousWeek: 24,
        examples: [],
      },
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
    spikeFeedback: { alerts: 1, useful: 1, notUseful: 0, unanswered: 0 },
    response: {
      slaLabel: "first response within 1 h critical, 4 h high, 1 d medium, 3 d low",
      clocked: 160,
      inTime: 112,
      late: 21,
      missed: 9,
      pending: 14,
      arrivedOverdue: 4,
      medianFirstResponseMinutes: 94,
      repliesPosted: 120,
      openBacklog: 27,
      overdue: 5,
      openArrivedOverdue: 2,
    },
    rightsEvents: [
      { flag: "dispute", mentions: 9, sentAsEvents: 3, awaitingLink: 6 },
      { flag: "cease_contact", mentions: 4, sentAsEvents: 4, awaitingLink: 0 },
      { flag: "attorney", mentions: 1, sentAsEvents: 1, awaitingLink: 0 },
    ],
    compliance: {
      repliesStopped: 7,
      rules: [
        { rule: "B1", label: "confirms a relationship or a debt", replies: 5 },
        { rule: "B2", label: "amount, date or identifier", replies: 3 },
      ],
    },
    recovery: { answered30Days: 380, judged: 120, recovered: 41 },
    notable: [
      {
        text: "Filed a CFPB complaint about Acme. <script>alert('x')</script> Email me at jo.doe@example.com",
        source: "X",
        url: "https://x.com/c/status/3",
        note: "critical, legal threats, confirmed by a person",
        reach: 48200,
      },
      {
        text: "Honestly the agent was kind and set things right. Thank you!",
        source: "Google reviews",
        url: null,
        note: "low, praise, model 91% sure",
      },
    ],
    dashboardUrl: "https://rapport.example.com/",
    ...overrides,
  };
}
