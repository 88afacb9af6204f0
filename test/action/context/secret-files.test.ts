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
  ])("keeps %s", (path) => {
    expect(exclusionReason(path)).not.toBe("secret");
  });
});
