// The one shape every notifier has: the outbox job hands it a payload and gets back what to do next.

/**
 * ok: delivered. retry: a passing failure (rate limit, 5xx, timeout, network); `afterMs` is the receiver's own
 * hint (Retry-After) when it gave one. permanent: retrying cannot help until a person acts; `fix` says what to do.
 * unknown: the request may have been acted on (it was sent, no answer came back) and the receiver cannot tell a
 * repeat from a new message: sending again could double it, so a person decides.
 */
export type DeliveryResult =
  | { status: "ok" }
  | { status: "retry"; afterMs?: number; reason: string }
  | { status: "permanent"; reason: string; fix: string }
  | { status: "unknown"; reason: string };

export type NotifierKind = "slack" | "email" | "webhook";

export interface Notifier<P> {
  kind: NotifierKind;
  send(payload: P): Promise<DeliveryResult>;
}
