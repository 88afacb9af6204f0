import { stateLabelName, stateLabels, type PlanState } from "../conventions.js";
import { ensureLabels, setStateLabel } from "../github/labels.js";
import type { RunContext } from "../run-context.js";

/** Sets the issue's state label (creating the labels when missing) and removes the others. */
export async function moveStateLabel(ctx: RunContext, state: PlanState): Promise<void> {
  const labels = stateLabels(ctx.settings);
  await ensureLabels(ctx.client, ctx.repo(), labels);
  await setStateLabel(
    ctx.client,
    ctx.issue(),
    stateLabelName(ctx.settings, state),
    labels.map((l) => l.name),
  );
}
