import { describe, expect, it } from "@jest/globals";
import { isTestPath } from "../../../action/context/priors.js";

describe("isTestPath", () => {
  it("knows the usual test folders and file names", () => {
    for (const path of [
      "tests/test_cart.py",
      "src/__tests__/cart.ts",
      "pkg/cart_test.go",
      "spec/models/cart_spec.rb",
      "testdata/input.json",
    ])
      expect(isTestPath(path)).toBe(true);
  });

  it("knows test folders with compound names", () => {
    for (const path of [
      "test-data/unit/check-typeddict.test",
      "mypyc/test-data/irbuild-dict.test",
      "test cases/unit/122 reconfigure base options/meson.build",
      "unittests/baseplatformtests.py",
      "stress_tests/kaggle/kaggle7.py",
      "checkov/performance_tests/run.py",
      "tests_js/index.js",
      "app_test/frontend/test_registration.py",
      "kedro/test_starter/cookiecutter.json",
      "type-tests/immutable.ts",
    ])
      expect(isTestPath(path)).toBe(true);
  });

  it("leaves source folders whose names only contain test alone", () => {
    for (const path of [
      "src/_pytest/python.py",
      "unittest/unittest/__init__.py",
      "lib/attestation/verify.py",
      "src/testing_tools.rs/lib.rs",
      "pkg/contest/score.py",
      "src/latest/cart.py",
      "Cython/Compiler/Tests2/x.py",
    ])
      expect(isTestPath(path)).toBe(false);
  });
});
