import { describe, expect, it } from "@jest/globals";
import { exclusionReason } from "../../../action/context/file-filters.js";

describe("files kept out by name as secret-bearing", () => {
  it.each([
    ".envrc",
    "app/.envrc",
    ".yarnrc.yml",
    ".pgpass",
    "terraform.tfstate",
    "infra/terraform.tfstate.backup",
    "infra/prod.tfvars",
    "infra/prod.auto.tfvars.json",
    ".docker/config.json",
    "home/.docker/config.json",
    "kubeconfig",
    "deploy/kubeconfig-prod",
    "deploy/prod.kubeconfig",
    ".kube/config",
    ".my.cnf",
    ".vault-token",
    ".cargo/credentials.toml",
    // Found by review: a PuTTY key passed whole; the names below held secrets unlisted.
    "keys/deploy.ppk",
    "AuthKey_ABC123.p8",
    "secrets.toml",
    "config/secrets.properties",
    ".terraform.d/credentials.tfrc.json",
    "gcloud/application_default_credentials.json",
    "aws/credentials.csv",
    ".netrc.ci",
    ".git-credentials.bak",
    ".npmrc.bak",
  ])("%s", (path) => {
    expect(exclusionReason(path)).toBe("secret");
  });

  it.each([
    "config.json",
    "src/docker/config.json",
    "infra/variables.tf",
    "infra/terraform.tfvars.example",
    "docs/kubernetes.md",
    "src/kube/config.ts",
    "yarn.config.cjs",
    "botocore/credentials.py",
    "docs/credentials.md",
    "src/secrets.ts",
  ])("keeps %s", (path) => {
    expect(exclusionReason(path)).not.toBe("secret");
  });
});
