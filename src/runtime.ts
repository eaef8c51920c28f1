// Wires the capabilities that depend on configuration onto Deps: the classifier and the pipeline routers.
// Kept apart from buildDeps so tests can build bare deps and add only what they exercise.
import type { Deps } from "./deps.js";

export async function buildRuntime(deps: Deps): Promise<Deps> {
  return deps;
}
