import { startGitHubEmulator } from "./emulator.js";
import { emulatorClient } from "./client.js";
import { describeGitHubError } from "../../../action/github/octokit.js";
const g = await startGitHubEmulator({ repos: [{ owner: "o", name: "r" }], tokenPermissions: { pull_requests: "read" } });
const c = emulatorClient(g);
try { await c.rest.pulls.create({ owner: "o", repo: "r", head: "x", base: "main", title: "t" }); } catch (e) { console.log(describeGitHubError(e)); }
g.setTokenPermissions({});
try { await c.rest.pulls.create({ owner: "o", repo: "r", head: "main", base: "main", title: "t" }); } catch (e) { console.log(describeGitHubError(e)); }
g.secondaryRateLimit({ route: "issues/get", times: 9 });
try { await emulatorClient(g, { rateLimitRetries: 1 }).rest.issues.get({ owner: "o", repo: "r", issue_number: 1 }); } catch (e) { console.log(describeGitHubError(e)); }
await g.close();
