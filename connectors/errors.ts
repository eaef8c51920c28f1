// Why a poll failed decides what happens next: retry soon, wait for a rate-limit window, or stop the source
// until a person fixes a credential or the platform retired the feature.

export type ConnectorFailure =
  | "rate_limited" // wait until `retryAt`, then go on
  | "transient" // 5xx, timeout, network: retry with backoff
  | "auth" // a credential is wrong or expired: stop the source, name the credential
  | "unsupported" // the platform retired or refuses this capability: show as unsupported
  | "payload" // upstream sent something we do not understand: nothing from this batch is stored
  | "config"; // our configuration is wrong

export class ConnectorError extends Error {
  constructor(
    readonly failure: ConnectorFailure,
    message: string,
    readonly options: { retryAt?: Date; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ConnectorError";
  }

  get retryable(): boolean {
    return this.failure === "rate_limited" || this.failure === "transient";
  }
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}
