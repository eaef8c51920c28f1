// What a person may ask for through the web (dashboard form and JSON API alike): no endpoint overrides, no
// `file` or `demo` sources. Overrides would let a dashboard or API user make this server call any host, `file`
// reads a path on the server's disk into the feed. Operators keep them through the CLI (`rapport sources add
// --config`, `rapport import`). One function, used by every web entry point, so the two cannot drift again.
import { badRequest } from "../../errors.js";

/** Types only the CLI adds. */
export const CLI_ONLY_TYPES: ReadonlySet<string> = new Set(["demo", "file"]);

/** Config fields only the CLI sets: anything naming an endpoint (baseUrl, wwwBaseUrl, tokenUrl, apiBaseUrl…). */
export function isOperatorOnlyField(name: string): boolean {
  return /(baseurl|tokenurl|apiroot|endpoint)$/i.test(name);
}

/** Throws a 400 naming what the web may not set and where it can be set instead. */
export function assertWebSourceInput(type: string, config: Record<string, unknown>): void {
  if (CLI_ONLY_TYPES.has(type)) {
    throw badRequest(
      `"${type}" sources are added from the command line only (\`rapport ${type === "file" ? "import <file> --source <name>" : "sources add demo"}\`): they read data on the server itself`,
      [{ path: "type", message: `"${type}" cannot be added from the dashboard or the API` }],
    );
  }
  const overrides = Object.keys(config).filter(isOperatorOnlyField);
  if (overrides.length > 0) {
    throw badRequest(
      `${overrides.join(", ")} ${overrides.length === 1 ? "is an endpoint override" : "are endpoint overrides"}, which only an operator may set (\`rapport sources add ${type} --config '{…}'\`): remove ${overrides.length === 1 ? "it" : "them"}`,
      overrides.map((name) => ({
        path: `config.${name}`,
        message: "endpoint overrides are set from the command line only",
      })),
    );
  }
}
