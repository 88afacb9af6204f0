import { PROVIDER_TOKENS } from "../../../action/context/provider-tokens.js";
import { redactSecrets } from "../../../action/context/redact-secrets.js";

/**
 * One made-up token per format of provider-tokens.ts (random characters in the
 * provider's published shape; none was ever issued).
 */
const SAMPLES: Record<string, string> = {
  DigitalOcean: "dop_v1_a4c123b1612dd272d1371c17149d439536b3216fdaeeb975729fae923d5a4fd1",
  PlanetScale: "pscale_tkn_9QeWJKY40uvSwMFLZDe1f8rESQedUStPKR0CsTy4Qwb",
  Pulumi: "pul-eb53f16947ccf25ec84d8dbc74254770f58904db",
  Doppler: "dp.pt.NKu8iS2G8NPRVdD53X83RZJzzzzgEOzdmenCkhvMdga",
  Sentry: "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",
  Supabase: "sbp_6f0fb23c6f5da2cec255404e4fb440034d660869",
  "Terraform Cloud":
    "GpWLuqIA1id6Vw.atlasv1.5DQL05HA064GiIjHGb3CXlMaXZjljENUhJduRHHJEYXg4JdpmrcXgGCJbW56eCuNGMG",
  "New Relic": "NRAK-MR26846P7Q9M2I0HZ2UEP1ENTHJ",
  Dynatrace:
    "dt0c01.XJQI3OGZ5KOK16ZV0MWUFXBV.932BYV7S6EHOGFQRCLRI1QZJ865UFRDL1ERBFQFOEQH3AV90RIC7PHKQDLMTT7NS",
  "Mapbox secret token":
    "sk.eyJCGRlrwZbqcabUGJmGEp7CgQ0PBQFI14zGtSnovm14TUOizwd1iaeOV4qBkdf.Q1y3GQsMpSscDlkrCaqx9v",
  Square: "sq0csp-PFeNBTxaQWk8JzFalHlsZfYcMMDktXP-tKsf2rcDkdf",
  Postman: "PMAK-4b3ce107f80e222f828767ef-c2f91624a8940f1f836f99eee3692f09e2",
  "Atlassian / Bitbucket":
    "ATATT30G9Cryn687neLfjVHq8xiM0OGr4hTxoF54Fzbka8FRCztUjAwyuh1vauWv1zh87mTa5Vsqxezy3Lex7BWr2drgd1QsO7jprBGumXxY9B4bZWOz648JJnUfd7UACNWiP3sFd67JikEAvstqVVPqzPptEJQzhkPkenG5ZFJoC6vWCBiJmpflvJfupxqZ",
  Heroku: "HRKU-Km4bV3AyAVHnyrvWdFrK9xiRGHOY32nfr5pyzPCB9t2039bicBTW5ZE9LFae",
  "Fly.io": "fo1_z7770H2DCpYgojjHRg80USP2W5DfJXcaYioK6cPTt9i",
  Clojars: "CLOJARS_q71hget7myqoaa8t3rup47p9pb0tdbm50fqo1xo5cv0xzmas6en5mtmo3oqs",
  RubyGems: "rubygems_3f57fd14c1604d115cea325a65e19cbae530282bd36cb9d2",
  NuGet: "oy2d4mx82mux4b0pzcyc3edqmevxrvcqurtaebog43yq15",
  "Alibaba Cloud key id": "LTAIi7FlaZ7Vt0SXjMpu3uDx",
  "Google OAuth": "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",
  "Microsoft Entra client secret": "AFT8Q~CloiADN5RpVI2XQWhX1ssrKrxqVqmCplpp",
  Prefect: "pnu_js46LmuezqpGHoPZgPDcgaE40o1C6xc4sohd",
  ReadMe: "rdme_mmex6l2qagwncxvjcnqcnau0xltenc594e0gz9j8fkzr0st0dtw00bxmzzna1k1hfzx3ki",
  Netlify: "nfp_adJjPZ6zfKN7xVGkjwskHk7egyFWZY9Zmti18c6E",
  Buildkite: "bkua_a1c257c6f561c5cb347611a3ce9d97dcbee500fe",
  CircleCI: "CCIPAT_pCWNX0D1lZEzgeiwBxfZCG_1142a21c402364f9572b85a8e48f687ab165c58a",
  "JFrog Artifactory": "AKCp5ykYYqhXHdO2x93CJHLS45gqIO2zVZxqyxKjxvWfColNV9ds0HqtO93L7Q5uUaVcojsNO",
  Replicate: "r8_BAGx5diFoNPcbdaKwtgHwIoALtLinxN1Ekia7",
  xAI: "xai-ZpTjCgeOj3QYrzZq9adP0J5wMPLCM7HUFpk5acdIbzlpkd6XgaNJQ8mjAmHMPGPPA0NlGtetOd4UYETI",
  Perplexity: "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",
  LangSmith: "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",
  Resend: "re_43W6T8yg_pnnhcc826ZWOf0WOOsEgigYW",
  Shippo: "shippo_live_69aad80b891baf90d0d3bf16295d06910bf3f5fb",
  Typeform: "tfp_91GqK8ks0n8SoFkh8OXfFYSJYgOuwgz7z54VfB4PbxntqB5IGky4Oo8DiIM",
  Flutterwave: "FLWSECK-b328e692f660he26h8g01eeh283fh2g0-X",
  EasyPost: "EZAK9Ugk9QgmyjjYtUtBrmgO6grn4yDcaz2YBSoGOsDbjqMVzaVp62BSKL",
  Airtable: "patVPA2oQUP44XPSL.753eda83d7c58dfe0d5a0cf318656b3e6f0bade65c3b188cc102ddb8379c7ce6",
  Sourcegraph: "sgp_5426f74bde94fb78_c8d5f08b79affd2b49c12a4b0062983475eb46c5",
  Harness: "pat.N5SMYfQ55JYO1tmFSnHfV1.e338d74ff1fe4f7f505aef9e.xBA9RelOxOPbbNcRV7vZ",
  Plaid: "access-production-3ff416d4-a3ba-f69d-ad81-99bfca8b6f3a",
  "Firebase Cloud Messaging":
    "AAAAmuTtiLO:APA91blfZZgZMnafy8hWskBf6wmxe1mbVrNHMx1eOc3g-fp1Z5ibXt80nk8Btb2abplBpq8cJF5xgUskL-6GgebhbkXNNv_hOV48vsoUu19X5IQLJhQbtN2FWXWD5KaPHI2ufKssJ-Sk",
  Mailchimp: "fc6791ce680ce2b27c8af6666259bbc4-us21",
  Dropbox:
    "sl.Ff-VnV7ktOdSJcmeA_BHJ2m5qGeRzxWkdgeV6_iYplGODlYx5uVECweGThdgH9hmsOazM4n8PVGXpV9Wv4Esb7yeuCjVr5mXcj5RPD9oUsQChx5s4tI10FtdILQvH_nO69othB9KpGzU",
  Infisical:
    "st.d8773c9d-5194-0ea4-e095-bd1d68545756.22f856469602d1ba9f20df4875b15b0b.e23b7ac193fe04072755398003680e7e",
  "Defined Networking":
    "dnkey-gwglcrh356rhhhzi8ooj3zkby0-7czdxvzpv1uz9du7jwp1axg7leu1m6boi0z3cccrr8cgqh7a1pcs",
  "Octopus Deploy": "API-HTWKHD6RF38J2H6IS0SRPF8S37",
  "Stripe webhook secret": "whsec_NSKoPymJTxD5JtNEE0tbpvomGIyLza7w",
  Pinecone: "pcsk_k38puJuFrs4nsdXbkJeM3wCQdHy1CwVWgHo9RV7jAvQwiRmNN2r01HgV2V7W",
  ElevenLabs: "sk_f84d30d3fc4d83cee9b9bcca0fce9594dc72aa7a6d0018f9",
  Braintree: "access_token$production$8t81771y3wcw2ae7$73dbc46dfcea25bab29539ad5966d513",
  Adobe: "p8e-wKOOUcSAaYatTSJa6tz1gLaQbmlFXJKr",
  Contentful: "CFPAT-sz0psundmjv_73hbPsETJveImiSy5XcgCYf4gEFCfuw",
  "Azure DevOps": "ua530DtAMq94F8epRyRTLoAtz4TFbY3pflkwyla4szJxhvI3yvzPAZDOe9hB",
  HubSpot: "pat-na1-b7c6e9b7-d180-a474-2684-ee75bb6cc69f",
  "Yandex Cloud": "AQVNAD5qH4VFZBqplIXdsNbXlwDPyniUMyiNlCKq",
};

describe("provider tokens wherever they stand", () => {
  it("has a sample for every format in the table", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(PROVIDER_TOKENS.map((t) => t.provider).sort());
  });

  it.each(Object.entries(SAMPLES))(
    "redacts a %s token as a bare argument, in a comment and in a list",
    (_provider, token) => {
      for (const text of [
        `client = Manager("${token}")\n`,
        `// deploy with ${token} until rotated\n`,
        `tokens: [${token}, other]\n`,
      ]) {
        const { text: out, redacted } = redactSecrets(text, { path: "src/app.ts" });
        expect(redacted).toBe(true);
        expect(out).not.toContain(token);
      }
    },
  );

  it("leaves identifiers, hashes and blobs that hold a prefix alone", () => {
    const text = [
      "def pattern_matching_api_version(): return 2",
      "re_compile_result_for_the_value = re.compile(pattern)",
      "integrity: sha512-pul-0123456789abcdef0123456789abcdef01234567x+/AbCdEf==",
      'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
      "blob = 'QUJDREVGAKCpAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/=='",
      "See https://docs.example.com/sk_guide and ltai_settings.py",
      "import { useSessionStorage } from './hooks/session-storage-hook';",
      // Placeholders in a token's shape, as documentation writes them.
      "PREFECT_API_KEY='pnu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
      "# a management token looks like sbp_0000000000000000000000000000000000000000",
    ].join("\n");
    expect(redactSecrets(text, { path: "src/app.py" }).text).toBe(text);
  });
});
