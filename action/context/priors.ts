/**
 * Prior beliefs about where fixes land, before reading the issue: in source, rather
 * than tests, documentation, examples or vendored copies of other projects. Each prior
 * is a multiplier with a name, so a report can say why a file was held back.
 */
import type { IssueSignals } from "./issue-signals.js";
import { isCodePath } from "./scan-files.js";
import { signalOn } from "./signal-switch.js";

export interface Prior {
  factor: number;
  /** Set when the factor is not 1. */
  label?: string;
}

const TEST_DIR =
  /(^|\/)(tests?|testing|spec|specs|__tests__|__mocks__|testdata|test_data|fixtures?|e2e|integration[-_]tests?)\//i;
/**
 * Test folders with compound names: `test-data/`, `test cases/`, `unittests/`,
 * `stress_tests/`, `tests_js/`, `test_apps/`. Lowercase words joined by `-`, `_` or a
 * space, so `_pytest/` (pytest's own source) and `unittest/` (a test library) stay code.
 */
const COMPOUND_TEST_DIR =
  /(^|\/)(test[-_ ]?(data|cases?|files|resources)|unittests|[a-z0-9]+[-_ ]tests?|tests?[-_ ][a-z0-9]+)\//;
const TEST_FILE =
  /(^|\/)(test_[^/]*|[^/]*_tests?\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|[^/]*Tests?\.(java|kt|scala|cs|php|swift)|[^/]*_spec\.rb|conftest\.py)$/;
const DOC_FILE =
  /\.(md|mdx|rst|txt|adoc|asciidoc|textile|rdoc)$|(^|\/)(docs?|documentation|man|website|site)\/|(^|\/)(CHANGES|CHANGELOG|HISTORY|NEWS|AUTHORS)[^/]*$/i;
const EXAMPLE_DIR =
  /(^|\/)[^/]*(examples?|samples?|demos?|benchmarks?|tutorials?)[^/]*\/|(^|\/)(bench|asv_bench|playground)\//i;
const VENDORED_DIR =
  /(^|\/)(vendor|vendored|third[-_]party|3rdparty|external|extern|deps|\w*stubs)\//i;
const DATA_FILE = /\.(json|csv|tsv|svg|xml|lock|snap|golden|out|log|toml|ya?ml|ini|cfg)$/i;
const BUILD_DIR = /(^|\/)(dist|build|out|target|coverage|site-packages|\.github|\.circleci)\//;

/** True when a path is in an examples, samples, demos or benchmarks directory. */
export function isExamplePath(path: string): boolean {
  return EXAMPLE_DIR.test(path);
}

/** True when a path looks like a test (by directory or file naming convention). */
export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_FILE.test(path) || COMPOUND_TEST_DIR.test(path);
}

/**
 * The prior for a path given what the issue is about. Files the issue names directly
 * are never held back much: the issue overrides the convention.
 */
export function priorFor(path: string, signals: IssueSignals, named: boolean): Prior {
  let factor = 1;
  const labels: string[] = [];
  const apply = (f: number, label: string, on = true): void => {
    if (!on) return;
    factor *= f;
    labels.push(label);
  };
  if (isTestPath(path) && !signals.aboutTests) apply(0.3, "test file", signalOn("testPrior"));
  else if (DOC_FILE.test(path) && !signals.aboutDocs)
    apply(0.3, "documentation", signalOn("docPrior"));
  if (EXAMPLE_DIR.test(path)) apply(0.5, "example/benchmark", signalOn("examplePrior"));
  if (VENDORED_DIR.test(path)) apply(0.4, "vendored", signalOn("vendoredPrior"));
  if (BUILD_DIR.test(path)) apply(0.4, "build output", signalOn("buildPrior"));
  if (DATA_FILE.test(path)) apply(0.6, "data file", signalOn("dataPrior"));
  else if (labels.length === 0 && !isCodePath(path))
    apply(0.6, "not source code", signalOn("dataPrior"));
  if (named) factor = Math.max(factor, 0.9);
  const prior: Prior = { factor };
  if (factor !== 1 && labels.length > 0) prior.label = labels.join(", ");
  return prior;
}
