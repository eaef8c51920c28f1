import type { Classification } from "../domain/taxonomy.js";

/** The classifier as the pipeline sees it (src/classifier implements it). */
export interface MentionClassifier {
  classify(
    items: { id: string; text: string; reach?: number }[],
  ): Promise<Array<Classification & { engine: string; version: string; maskedText?: string }>>;
}
