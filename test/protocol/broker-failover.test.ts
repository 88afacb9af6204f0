import {
  brokerRotation,
  describeBrokers,
  redactUrls,
  splitBrokerUrls,
} from "../../protocol/index.js";

const LIST =
  "amqp://u:p%40ss@node-a:5672/prod, amqps://v:w@node-b, ,amqp://x:y@[::1]:5673?heartbeat=5";

describe("a list of broker URLs", () => {
  it("splits on commas, trimming and dropping empty entries", () => {
    expect(splitBrokerUrls(LIST)).toEqual([
      "amqp://u:p%40ss@node-a:5672/prod",
      "amqps://v:w@node-b",
      "amqp://x:y@[::1]:5673?heartbeat=5",
    ]);
  });

  it("is described and logged without any password", () => {
    expect(describeBrokers(LIST)).toBe("node-a:5672, node-b:5671, [::1]:5673");
    expect(redactUrls(LIST)).not.toMatch(/p%40ss|:w@|:y@/);
  });
});

describe("brokerRotation", () => {
  it("exposes the current broker's fields as amqplib reads an object target", () => {
    const rotation = brokerRotation(LIST, { initialDelay: 200, maxDelay: 5000 });
    expect({ ...rotation.target }).toEqual({
      protocol: "amqp",
      hostname: "node-a",
      port: 5672,
      username: "u",
      password: "p@ss",
      vhost: "prod",
      heartbeat: 15,
      frameMax: undefined,
      channelMax: undefined,
      locale: undefined,
    });
    rotation.advance();
    expect(rotation.target).toMatchObject({ protocol: "amqps", hostname: "node-b", port: 5671 });
    expect(rotation.target.vhost).toBe("/");
    rotation.advance();
    expect(rotation.target).toMatchObject({ hostname: "::1", port: 5673, heartbeat: 5 });
    rotation.advance();
    expect(rotation.current()).toBe("node-a:5672");
  });

  it("moves to the next broker before every reconnect, the others at once, then backs off", () => {
    const rotation = brokerRotation(LIST, { initialDelay: 200, maxDelay: 5000 });
    const seen: string[] = [];
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      delays.push(rotation.calculateDelay(attempt));
      seen.push(rotation.current());
    }
    expect(seen).toEqual([
      "node-b:5671",
      "::1:5673",
      "node-a:5672",
      "node-b:5671",
      "::1:5673",
      "node-a:5672",
      "node-b:5671",
    ]);
    expect(delays.slice(0, 2)).toEqual([0, 0]);
    for (const delay of delays.slice(2)) expect(delay).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
  });

  it("backs off between tries of a lone broker", () => {
    const rotation = brokerRotation("amqp://localhost", { initialDelay: 200, maxDelay: 5000 });
    expect(rotation.calculateDelay(1)).toBeGreaterThan(0);
    expect(rotation.current()).toBe("localhost:5672");
  });

  it("refuses an empty list", () => {
    expect(() => brokerRotation(" , ", { initialDelay: 1, maxDelay: 1 })).toThrow(/no broker/);
  });
});
