/**
 * Issue item 8, performed: a repository with secrets planted in every form the issue
 * named and one per rule family (test/bench/secrets/corpus.ts), in ordinarily named files
 * and in credential files that the name filter must keep out (`.envrc`, `.yarnrc.yml`,
 * `*.tfstate`, `*.tfvars`, `.docker/config.json`, `kubeconfig`, `.pgpass`). An issue asks
 * about all of them. Nothing of any secret may reach what is sent to the model: the
 * repository context, or the full text of a file as the code request sends it. Fails if
 * any secret gets through.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { buildContext } from "../../../action/context/build-context.js";
import { redactSecrets } from "../../../action/context/redact-secrets.js";
import { plantedSamples } from "../../bench/secrets/corpus.js";
import { fixtureRepo } from "../../action/context/fixture-repo.js";

const samples = plantedSamples(7);
const CREDENTIAL_FILES: Record<string, string> = {
  ".envrc": "export DEPLOY_TOKEN=envrc-Q8z2Lk4Xw9Mv3Rt7\n",
  ".yarnrc.yml":
    'npmRegistryServer: "https://npm.example.com"\nnpmAuthToken: yarnrc-P5n8Jd2Hs6Wq1Ke4\n',
  "infra/terraform.tfstate":
    '{"resources":[{"instances":[{"attributes":{"password":"tfstate-B7c3Vx9Nm2Lq5Zr8"}}]}]}\n',
  "infra/prod.tfvars": 'db_admin = "tfvars-F4g8Hj2Kl6Mn0Pq3"\n',
  ".docker/config.json": '{"auths":{"ghcr.io":{"auth":"docker-W1e5Rt9Yu3Io7Pa2"}}}\n',
  "deploy/kubeconfig": "users:\n- name: ci\n  user:\n    token: kubeconfig-S6d0Fg4Hj8Kl2Zx5\n",
  ".pgpass": "db.internal:5432:app:app:pgpass-C9v3Bn7Mq1We5Rt0\n",
};
const CREDENTIAL_SECRETS = Object.values(CREDENTIAL_FILES).map(
  (text) => /([a-z]+-[A-Za-z0-9]{16})/.exec(text)?.[1] ?? "",
);

const repo = fixtureRepo({
  ...Object.fromEntries(samples.map((s) => [s.path, s.text])),
  ...CREDENTIAL_FILES,
  "README.md": "# widgets\n",
});
afterAll(() => repo.remove());

describe("planted secrets in a repository", () => {
  it("reach the model in no form: context, excerpts or tree", async () => {
    // One issue per planted file, naming it, so that each file is read and sent.
    const leaked: string[] = [];
    const notSent: string[] = [];
    for (const sample of samples) {
      const context = await buildContext({
        repoDir: repo.dir,
        title: `${sample.path} is read wrongly`,
        body: `The configuration in ${sample.path} is not picked up.`,
        tokenBudget: 8000,
      });
      const sent = JSON.stringify(context);
      if (!context.files.some((f) => f.path === sample.path)) notSent.push(sample.path);
      if (sample.secrets.some((secret) => sent.includes(secret))) leaked.push(sample.family);
    }
    expect(leaked).toEqual([]);
    // The attack is real: the planted files were read and sent.
    expect(notSent.length).toBeLessThanOrEqual(samples.length / 10);

    const paths = Object.keys(CREDENTIAL_FILES);
    const context = await buildContext({
      repoDir: repo.dir,
      title: "Credentials are read from the wrong files",
      body: `The settings in ${paths.join(", ")} are not picked up.`,
      tokenBudget: 8000,
    });
    const sent = JSON.stringify(context);
    for (const secret of CREDENTIAL_SECRETS) expect(sent).not.toContain(secret);
    for (const path of paths) expect(context.files.map((f) => f.path)).not.toContain(path);
  });

  it("reach the model in no file sent in full (the code request redacts without a path)", () => {
    const leaked = samples
      .filter((s) => s.secrets.some((secret) => redactSecrets(s.text).text.includes(secret)))
      .map((s) => s.family);
    expect(leaked).toEqual([]);
  });
});
