// Why an outbound request failed decides what happens next: retry soon, wait for a rate-limit window, stop the
// source until a person fixes a credential, or refuse outright (egress policy). Connectors re-export this class
// as ConnectorError (connectors/errors.ts): one error family for every upstream.

export type UpstreamFailure =
  | "rate_limited" // wait until `retryAt`, then go on
  | "transient" // 5xx, timeout, network: retry with backoff
  | "auth" // a credential is wrong or expired: stop the source, name the credential
  | "unsupported" // the platform retired or refuses this capability: show as unsupported
  | "payload" // upstream sent something we do not understand (or too much): nothing from this batch is stored
  | "config" // our configuration is wrong
  | "refused"; // the egress policy forbids the address: nothing was sent

export interface UpstreamErrorOptions {
  retryAt?: Date;
  status?: number;
  cause?: unknown;
  /**
   * The start of the upstream's error body, for interpreters and server-side logs only. It is never part of
   * `message`: messages reach people, and an internal server's answer must not (issue 16 item 2).
   */
  body?: string;
  headers?: Headers;
}

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly options: UpstreamErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ConnectorError";
  }

  get retryable(): boolean {
    return this.failure === "rate_limited" || this.failure === "transient";
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}
