import type { MaskContext } from "../domain/masking.js";
import type { Classification } from "../domain/taxonomy.js";

export type EngineName = "local" | "claude" | "hybrid";

export interface ClassifyInput {
  id: string;
  text: string;
  /** Followers/views/likes where known; high reach raises severity. */
  reach?: number;
  /** The poster's names and the creditor clients: masked before the text is sent to Claude. */
  maskContext?: MaskContext;
}

export type ClassifyOutput = Classification & {
  id: string;
  /** The engine that decided this result ("hybrid" never appears: it reports which of the two decided). */
  engine: "local" | "claude";
  version: string;
  /** The text with PII masked: the only form that may leave the database. */
  maskedText: string;
};

export interface ClassifierEngine {
  name: EngineName;
  version: string;
  classify(items: ClassifyInput[]): Promise<ClassifyOutput[]>;
}
