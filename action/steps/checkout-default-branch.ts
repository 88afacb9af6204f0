import { ensureCheckout, type Checkout } from "../checkout.js";
import type { RunContext } from "../run-context.js";

/** The repository's default branch, checked out in the workspace (or the checkout found there). */
export async function checkoutDefaultBranch(
  ctx: RunContext,
): Promise<Checkout & { defaultBranch: string }> {
  const repoInfo = await ctx.client.rest.repos.get(ctx.repo());
  const defaultBranch = repoInfo.data.default_branch;
  const checkout = await ctx.group("Checkout", () =>
    ensureCheckout({
      workspace: ctx.env.workspace,
      serverUrl: ctx.env.serverUrl,
      owner: ctx.owner,
      repo: ctx.repoName,
      ref: defaultBranch,
      token: ctx.settings.githubToken,
      log: (m) => ctx.log(m),
    }),
  );
  return { ...checkout, defaultBranch };
}
