// Connectors speak of ConnectorError; it is the platform's one upstream error (src/platform/http/errors.ts), so a
// failure from the HTTP client, an OAuth exchange or a connector's own check is one family with one meaning.
export {
  isUpstreamError as isConnectorError,
  UpstreamError as ConnectorError,
  type UpstreamFailure as ConnectorFailure,
} from "../src/platform/http/errors.js";
