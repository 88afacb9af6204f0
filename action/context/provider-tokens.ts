/**
 * Provider tokens whose format names them wherever they stand: a bare argument
 * (`Manager("dop_v1_…")`), a dictionary entry, a comment. The secretlint preset knows
 * GitHub, GitLab, Slack, Stripe, OpenAI and a score more; these are the formats it lacks,
 * each from the provider's published token format. Every pattern starts with a
 * distinctive prefix and fixes the body's alphabet and length, so that an identifier or a
 * hash in ordinary code does not match (test/bench/secrets measures both sides).
 *
 * A format with no prefix of its own (a bare 32-character hex key, a UUID) is left to the
 * secret-named-key rules: matched alone it would redact every hash in a lock file.
 */
export interface ProviderToken {
  provider: string;
  /** Lower-case strings one of which the token contains (the scan's prefilter). */
  keywords: readonly string[];
  /** The token itself, without boundaries (added by {@link providerTokenPattern}). */
  body: string;
}

export const PROVIDER_TOKENS: readonly ProviderToken[] = [
  { provider: "DigitalOcean", keywords: ["_v1_"], body: "do[opr]_v1_[a-f0-9]{64}" },
  {
    provider: "PlanetScale",
    keywords: ["pscale_"],
    body: "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}",
  },
  { provider: "Pulumi", keywords: ["pul-"], body: "pul-[a-f0-9]{40}" },
  {
    provider: "Doppler",
    keywords: ["dp."],
    body: "dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}",
  },
  { provider: "Sentry", keywords: ["sntrys_", "sntryu_"], body: "sntry[su]_[A-Za-z0-9+/=_]{40,}" },
  {
    provider: "Supabase",
    keywords: ["sbp_", "sb_secret_"],
    body: "(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,})",
  },
  {
    provider: "Terraform Cloud",
    keywords: ["atlasv1"],
    body: "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}",
  },
  {
    provider: "New Relic",
    keywords: ["nrak-", "nrii-", "nrjs-"],
    body: "NR(?:AK|II|JS)-[A-Za-z0-9]{19,32}",
  },
  { provider: "Dynatrace", keywords: ["dt0c01"], body: "dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}" },
  {
    provider: "Mapbox secret token",
    keywords: ["sk.eyj"],
    body: "sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}",
  },
  {
    provider: "Square",
    keywords: ["eaaa", "sq0atp-", "sq0csp-"],
    body: "(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})",
  },
  { provider: "Postman", keywords: ["pmak-"], body: "PMAK-[a-f0-9]{24}-[a-f0-9]{34}" },
  {
    provider: "Atlassian / Bitbucket",
    keywords: ["atatt3", "atbb"],
    body: "(?:ATATT3[A-Za-z0-9_=-]{150,}|ATBB[A-Za-z0-9_=.-]{32})",
  },
  { provider: "Heroku", keywords: ["hrku-"], body: "HRKU-[A-Za-z0-9_-]{40,}" },
  {
    provider: "Fly.io",
    keywords: ["fo1_", "flyv1"],
    body: "(?:fo1_[A-Za-z0-9_-]{43}|FlyV1 fm\\d_[A-Za-z0-9+/=_,-]{40,})",
  },
  { provider: "Clojars", keywords: ["clojars_"], body: "CLOJARS_[a-z0-9]{60}" },
  { provider: "RubyGems", keywords: ["rubygems_"], body: "rubygems_[a-f0-9]{48}" },
  { provider: "NuGet", keywords: ["oy2"], body: "oy2[a-z0-9]{43}" },
  { provider: "Alibaba Cloud key id", keywords: ["ltai"], body: "LTAI[A-Za-z0-9]{12,20}" },
  {
    provider: "Google OAuth",
    keywords: ["gocspx-", "ya29.", "1//0"],
    body: "(?:GOCSPX-[A-Za-z0-9_-]{28}|ya29\\.[A-Za-z0-9_-]{30,}|1//0[A-Za-z0-9_-]{40,})",
  },
  {
    provider: "Microsoft Entra client secret",
    keywords: ["q~"],
    body: "[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}",
  },
  { provider: "Prefect", keywords: ["pnu_"], body: "pnu_[A-Za-z0-9]{36}" },
  { provider: "ReadMe", keywords: ["rdme_"], body: "rdme_[a-z0-9]{70}" },
  { provider: "Netlify", keywords: ["nfp_"], body: "nfp_[A-Za-z0-9]{36,40}" },
  { provider: "Buildkite", keywords: ["bkua_"], body: "bkua_[a-f0-9]{40}" },
  { provider: "CircleCI", keywords: ["ccipat_"], body: "CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}" },
  { provider: "JFrog Artifactory", keywords: ["akcp"], body: "AKCp[A-Za-z0-9]{69}" },
  { provider: "Replicate", keywords: ["r8_"], body: "r8_[A-Za-z0-9]{37}" },
  { provider: "xAI", keywords: ["xai-"], body: "xai-[A-Za-z0-9]{80}" },
  { provider: "Perplexity", keywords: ["pplx-"], body: "pplx-[A-Za-z0-9]{48}" },
  { provider: "LangSmith", keywords: ["lsv2_"], body: "lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}" },
  { provider: "Resend", keywords: ["re_"], body: "re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}" },
  { provider: "Shippo", keywords: ["shippo_"], body: "shippo_(?:live|test)_[a-f0-9]{40}" },
  { provider: "Typeform", keywords: ["tfp_"], body: "tfp_[A-Za-z0-9_.=-]{59}" },
  { provider: "Flutterwave", keywords: ["flwseck"], body: "FLWSECK(?:_TEST)?-[a-h0-9]{32}-X" },
  { provider: "EasyPost", keywords: ["ezak", "eztk"], body: "EZ[AT]K[A-Za-z0-9]{54}" },
  { provider: "Airtable", keywords: ["pat"], body: "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}" },
  {
    provider: "Sourcegraph",
    keywords: ["sgp_"],
    body: "sgp_(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40}",
  },
  {
    provider: "Harness",
    keywords: ["pat."],
    body: "pat\\.[A-Za-z0-9_-]{22}\\.[a-f0-9]{24}\\.[A-Za-z0-9]{20}",
  },
  {
    provider: "Plaid",
    keywords: ["access-sandbox-", "access-development-", "access-production-"],
    body: "access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
  },
  {
    provider: "Firebase Cloud Messaging",
    keywords: [":apa91b"],
    body: "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}",
  },
  { provider: "Mailchimp", keywords: ["-us"], body: "[0-9a-f]{32}-us[0-9]{1,2}" },
  { provider: "Dropbox", keywords: ["sl."], body: "sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,}" },
  {
    provider: "Infisical",
    keywords: ["st."],
    body: "st\\.[a-f0-9-]{36}\\.[a-f0-9]{32}\\.[a-f0-9]{32}",
  },
  {
    provider: "Defined Networking",
    keywords: ["dnkey-"],
    body: "dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}",
  },
  { provider: "Octopus Deploy", keywords: ["api-"], body: "API-(?=[A-Z]*[0-9])[A-Z0-9]{26}" },
  { provider: "Stripe webhook secret", keywords: ["whsec_"], body: "whsec_[A-Za-z0-9+/]{32,}" },
  { provider: "Pinecone", keywords: ["pcsk_"], body: "pcsk_[A-Za-z0-9_]{50,}" },
  { provider: "ElevenLabs", keywords: ["sk_"], body: "sk_[a-f0-9]{48}" },
  {
    provider: "Braintree",
    keywords: ["access_token$"],
    body: "access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$[a-f0-9]{32}",
  },
  { provider: "Adobe", keywords: ["p8e-"], body: "p8e-[A-Za-z0-9]{32}" },
  { provider: "Contentful", keywords: ["cfpat-"], body: "CFPAT-[A-Za-z0-9_-]{43}" },
  { provider: "Azure DevOps", keywords: ["azdo"], body: "[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{4}" },
  {
    provider: "HubSpot",
    keywords: ["pat-na1-", "pat-eu1-"],
    body: "pat-(?:na|eu)1-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
  },
  { provider: "Yandex Cloud", keywords: ["aqvn"], body: "AQVN[A-Za-z0-9_-]{35,38}" },
];

/**
 * A token's pattern: matched only where it is not part of a longer run of token
 * characters (a base64 blob or a hash that happens to hold a prefix).
 */
export function providerTokenPattern(token: ProviderToken): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_+/=.~-])(?:${token.body})(?![A-Za-z0-9_+/=~-])`, "g");
}
