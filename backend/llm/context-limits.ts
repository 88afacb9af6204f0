/**
 * Each model's context limit as its server last gave it. Asked again after a while, since
 * a tag can be pulled anew or a model created again under the same name; a server that
 * gives none is not asked on every job either. A failed question is not remembered.
 */
export class ContextLimits {
  private readonly known = new Map<string, { limit: number | undefined; at: number }>();

  constructor(
    /** The server's answer; throws when it could not be asked. */
    private readonly ask: (model: string, signal: AbortSignal) => Promise<number | undefined>,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  async get(model: string, signal?: AbortSignal): Promise<number | undefined> {
    const hit = this.known.get(model);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.limit;
    const timeout = AbortSignal.timeout(5000);
    try {
      const limit = await this.ask(model, signal ? AbortSignal.any([signal, timeout]) : timeout);
      this.known.set(model, { limit, at: Date.now() });
      return limit;
    } catch {
      return undefined;
    }
  }
}
