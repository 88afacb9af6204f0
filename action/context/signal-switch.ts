/**
 * Switches for the ranking's signals, so the localization benchmark can measure what
 * each one contributes (an ablation) in-process. Nothing in the product sets them:
 * with the set empty every signal is on and the ranking is exactly the production one.
 */

/** The signals that can be turned off, by the name the ablation table uses. */
export const SIGNAL_NAMES = [
  "frames",
  "paths",
  "qualified",
  "definitions",
  "phrases",
  "fileNames",
  "rareMentions",
  "messages",
  "content",
  "pathTerms",
  "symbolTerms",
  "imports",
  "importsBeyondLeader",
  "composition",
  "siblings",
  "twins",
  "sameDirectory",
  "changelog",
  "reference",
  "testPrior",
  "docPrior",
  "examplePrior",
  "vendoredPrior",
  "buildPrior",
  "dataPrior",
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number];

/** Signals a benchmark has turned off; empty in production. */
export const disabledSignals = new Set<SignalName>();

/** Whether a signal takes part in the ranking. */
export function signalOn(name: SignalName): boolean {
  return disabledSignals.size === 0 || !disabledSignals.has(name);
}
