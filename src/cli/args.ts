import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./types.js";

/** node:util parseArgs, with its errors turned into usage errors that name the bad option. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
