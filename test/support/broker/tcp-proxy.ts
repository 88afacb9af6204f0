/**
 * A TCP proxy in front of RabbitMQ that can lose a connection at an exact point of the
 * protocol: once the client has sent bytes containing a marker (a request id in a
 * publish), nothing more from the broker reaches it — not the publisher confirm, not a
 * reply — until the test cuts the connection. That is what a node dying right after it
 * took a message looks like from the client, made deterministic.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

export interface CuttableProxy {
  /** The AMQP URL that goes through the proxy. */
  readonly url: string;
  /** From the first client bytes containing `marker` on, hold everything the broker sends. */
  holdAfterClientSends(marker: string): void;
  /** Whether the marker went through (the publish reached the broker). */
  readonly markerSeen: boolean;
  /** Drops every open connection (held bytes are lost) and forwards new ones normally. */
  cut(): void;
  /**
   * While on, a new connection is closed as soon as it is accepted: the broker looks down
   * to the client (it keeps retrying) while it stays up for everyone else.
   */
  refuseConnections(on: boolean): void;
  close(): Promise<void>;
}

export async function startCuttableProxy(brokerUrl: string): Promise<CuttableProxy> {
  const broker = new URL(brokerUrl);
  const sockets = new Set<Socket>();
  let marker: string | undefined;
  let markerSeen = false;
  let holding = false;
  let refusing = false;

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(broker.port || 5672), broker.hostname);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      if (marker !== undefined && chunk.includes(marker)) {
        markerSeen = true;
        holding = true;
      }
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!holding) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  const url = new URL(brokerUrl);
  url.hostname = "127.0.0.1";
  url.port = String(address.port);

  const proxy: CuttableProxy = {
    url: url.toString(),
    holdAfterClientSends(value) {
      marker = value;
    },
    get markerSeen() {
      return markerSeen;
    },
    cut() {
      marker = undefined;
      holding = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    refuseConnections(on) {
      refusing = on;
    },
    close() {
      proxy.cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
