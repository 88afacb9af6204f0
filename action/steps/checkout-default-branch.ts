import { checkoutRemoteBranch, ensureCheckout, type Checkout } from "../checkout.js";
import type { RunContext } from "../run-context.js";

/**
 * The repository's default branch, checked out in the workspace. The checkout found there
 * is used when it is at the branch's head; a workflow dispatched from another branch has
 * that branch checked out, and a plan based on it would carry its commits into a pull
 * request against the default branch.
 */
export async function checkoutDefaultBranch(
  ctx: RunContext,
): Promise<Checkout & { defaultBranch: string }> {
  const repoInfo = await ctx.client.rest.repos.get(ctx.repo());
  const defaultBranch = repoInfo.data.default_branch;
  const checkout = await ctx.group("Checkout", async () => {
    const found = await ensureCheckout({
      workspace: ctx.env.workspace,
      serverUrl: ctx.env.serverUrl,
      owner: ctx.owner,
      repo: ctx.repoName,
      ref: defaultBranch,
      token: ctx.settings.githubToken,
      log: (m) => ctx.log(m),
    });
    if (found.cloned) return found;
    const { data: head } = await ctx.client.rest.git.getRef({
      ...ctx.repo(),
      ref: `heads/${defaultBranch}`,
    });
    if (head.object.sha === found.sha) return found;
    ctx.log(
      `the workspace is at ${found.sha.slice(0, 12)}, not at ${defaultBranch}'s head ${head.object.sha.slice(0, 12)} (dispatched from another branch, or ${defaultBranch} moved since): checking out ${defaultBranch}`,
    );
    const sha = await checkoutRemoteBranch(found.dir, defaultBranch, ctx.settings.githubToken);
    return { ...found, sha };
  });
  return { ...checkout, defaultBranch };
}
