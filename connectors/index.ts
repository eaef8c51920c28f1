// The registry of connectors, typed by the union of source types: a missing module is a type error.
import { cfpbConnector } from "./cfpb.js";
import { demoConnector } from "./demo.js";
import { facebookConnector } from "./facebook.js";
import { fileConnector } from "./file.js";
import { googleConnector } from "./google.js";
import { instagramConnector } from "./instagram.js";
import { redditConnector } from "./reddit.js";
import { rssConnector } from "./rss.js";
import { trustpilotConnector } from "./trustpilot.js";
import type { Connector, SourceType } from "./types.js";
import { xConnector } from "./x.js";
import { yelpConnector } from "./yelp.js";

// biome-ignore lint/suspicious/noExplicitAny: each connector has its own config type, checked by its zod schema
export type AnyConnector = Connector<any>;

export const connectors: Partial<Record<SourceType, AnyConnector>> = {
  rss: rssConnector,
  file: fileConnector,
  cfpb: cfpbConnector,
  demo: demoConnector,
  reddit: redditConnector,
  x: xConnector,
  google: googleConnector,
  yelp: yelpConnector,
  facebook: facebookConnector,
  instagram: instagramConnector,
  trustpilot: trustpilotConnector,
};

export function connectorFor(type: string): AnyConnector | undefined {
  return connectors[type as SourceType];
}
