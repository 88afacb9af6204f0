/**
 * An error the server answers with an HTTP status and Ollama's `{"error": ...}` body.
 */
export class OllamaHttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OllamaHttpError";
    this.status = status;
  }
}
