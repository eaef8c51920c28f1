// The registry of connectors, typed by the union of source types: a missing module is a type error.
import type { Connector, SourceType } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: each connector has its own config type, checked by its zod schema
export type AnyConnector = Connector<any>;

export const connectors: Partial<Record<SourceType, AnyConnector>> = {};

export function connectorFor(type: string): AnyConnector | undefined {
  return connectors[type as SourceType];
}
