/**
 * Passwords in the forms people write them: short values after a password key, `.env`
 * and shell assignments, command-line flags, URL credentials. Each is redacted, and the
 * ordinary code that names passwords without holding one is left as it is.
 */
import { describe, expect, it } from "@jest/globals";
import { REDACTED, redactSecrets } from "../../../action/context/redact-secrets.js";
import { findSecrets } from "../../../action/context/secret-rules.js";

/** [the line, the secret in it, the rule expected to find it]. */
const PASSWORDS: readonly (readonly [string, string, string])[] = [
  ["password: hunter2xyz", "hunter2xyz", "hand/secret-assignment"],
  ["  password: hunter2", "hunter2", "hand/secret-assignment"],
  ["DB_PASS=hunter2", "hunter2", "hand/secret-assignment"],
  ["export DB_PASSWORD=Tr0ub4d", "Tr0ub4d", "hand/secret-assignment"],
  ['passwd = "hunter2"', "hunter2", "hand/secret-assignment"],
  ["passwd = 'S3cr3t!x'", "S3cr3t!x", "hand/secret-assignment"],
  ["PGPASSWORD=s3cr3tpw psql -h db -U app", "s3cr3tpw", "hand/secret-assignment"],
  ["PGPASSWORD=postgres", "postgres", "hand/secret-assignment"],
  ['{"password": "pa$$w0"}', "pa$$w0", "hand/secret-assignment"],
  ["mysql -pS3cr3t", "S3cr3t", "hand/cli-password"],
  ["mysqldump -u root -p'S3cr3t!' app > dump.sql", "S3cr3t!", "hand/cli-password"],
  ["mariadb -uroot -proot1 app", "root1", "hand/cli-password"],
  ["sshpass -p hunter22 ssh deploy@host", "hunter22", "hand/cli-password"],
  ["app migrate --password=hunter2", "hunter2", "hand/cli-password"],
  ["app migrate --password hunter2", "hunter2", "hand/cli-password"],
  ['app migrate --db-password "S3cr3t-9"', "S3cr3t-9", "hand/cli-password"],
  ["postgres://user:pw@host/db", "pw", "hand/url-password"],
  ["DATABASE_URL=postgres://app:s3cr3t@db:5432/app", "s3cr3t", "hand/url-password"],
];

/** Code and prose that name passwords without holding one. */
const ORDINARY = [
  'password = request.form["password"]',
  "password: str",
  "    password: Optional[str] = None",
  "def check_password(password):",
  "if not password:",
  "password = getpass.getpass()",
  "password = new_password2",
  "login(user=user, password=password)",
  'password = "short"',
  "self.password = password",
  "const password = options.password;",
  "password: ${{ secrets.DB_PASSWORD }}",
  "DB_PASSWORD=",
  "DB_PASSWORD=$1",
  'PGPASSWORD="$(cat /run/secrets/pg)" psql',
  "PASSWORD_MIN_LENGTH=12",
  "mysql -u root -p app",
  "mysql -h db -P3306 -uroot -p",
  "psql -h db -p 5432 -U app",
  "docker login --password-stdin",
  'app --password "$DB_PASSWORD"',
  "app --password <password>",
  "ansible-playbook --ask-vault-pass site.yml",
  "Use --password with care: it shows in the process list.",
  'parser.add_argument("--password", help="the password")',
  "postgres://user:password@localhost/app",
  "amqp://guest:guest@localhost:5672",
];

describe("password redaction", () => {
  it.each(PASSWORDS)("redacts %j", (line, secret, rule) => {
    const { text, redacted } = redactSecrets(line);
    expect(redacted).toBe(true);
    expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    const found = findSecrets(line).filter((m) => line.slice(m.start, m.end) === secret);
    expect(found.map((m) => m.rule)).toContain(rule);
  });

  it.each(ORDINARY)("leaves %j as it is", (line) => {
    expect(redactSecrets(line)).toEqual({ text: line, redacted: false });
  });

  it("redacts the passwords in a file and keeps its code", () => {
    const file = [
      "import os",
      "",
      "def connect(password=None):",
      "    if not password:",
      '        password = os.environ["DB_PASSWORD"]',
      "    return db.connect(user='app', password=password)",
      "",
      "# mysql -uapp -pS3cr3t app < schema.sql",
      "FALLBACK = dict(user='app', passwd='hunter2')",
      "",
    ].join("\n");
    const { text } = redactSecrets(file, { path: "app/db.py" });
    expect(text).not.toMatch(/S3cr3t|hunter2/);
    const kept = file.split("\n").filter((l) => !/S3cr3t|hunter2/.test(l));
    expect(text.split("\n")).toEqual(expect.arrayContaining(kept));
  });
});
