/**
 * A worker that learns its model's tokenizer from the model's counts, as the real one
 * does (backend/prompt/token-calibration.ts, backend/jobs/run-job.ts), for the
 * benchmarks: one per window answers the fixes in order, each prompt counted by a real
 * tokenizer (tokenizers.ts). A prompt over the window by that count is refused, forgets
 * what was learned and is fitted again into the room that count leaves (`refitBudget`, as
 * the worker does when the server gives the count).
 */
import { refitBudget, TokenCalibration } from "../../../backend/prompt/token-calibration.js";
import { userMessageBudget } from "../../../backend/prompt/user-message.js";
import { estimateTokens } from "../../../protocol/index.js";

/** Chat-template tokens around the system and user messages (role markers, BOS). */
const TEMPLATE_TOKENS = 32;
const KEY = "model";

export interface Sent<T> {
  message: T;
  /** The prompt's real count: system prompt, template and message. */
  counted: number;
  /** Whether it was refused first and fitted again. */
  refitted: boolean;
}

export class CalibratedWorker {
  private readonly calibration = new TokenCalibration();
  private readonly systemTokens: number;

  constructor(
    private readonly count: (text: string) => number,
    private readonly window: number,
    private readonly numPredict: number,
    private readonly system: string,
  ) {
    this.systemTokens = count(system) + TEMPLATE_TOKENS;
  }

  /** The user-message budget the next prompt is fitted into: the estimate's, widened. */
  budget(): number {
    const estimated = userMessageBudget(this.window, this.numPredict, this.system);
    return Math.floor(estimated * this.calibration.widening(KEY));
  }

  /** Sends the message `render` builds for `budget`, as the worker would. */
  send<T extends { text: string }>(render: (budget: number) => T, budget: number): Sent<T> {
    let message = render(budget);
    let counted = this.systemTokens + this.count(message.text);
    let refitted = false;
    if (counted + this.numPredict > this.window) {
      this.calibration.forget(KEY);
      refitted = true;
      message = render(
        refitBudget({
          numCtx: this.window,
          numPredict: this.numPredict,
          system: this.system,
          sentEstimate: estimateTokens(this.system) + estimateTokens(message.text),
          counted,
        }),
      );
      counted = this.systemTokens + this.count(message.text);
    }
    if (counted + this.numPredict <= this.window)
      this.calibration.observe(
        KEY,
        estimateTokens(this.system) + estimateTokens(message.text),
        counted,
      );
    return { message, counted, refitted };
  }
}

/**
 * One worker per window for a benchmark's run, each learning from the counts as it
 * answers the fixes in order: the worker for `window`, made on first use.
 */
export function workersByWindow(
  count: (text: string) => number,
  numPredict: number,
  system: string,
): (window: number) => CalibratedWorker {
  const workers = new Map<number, CalibratedWorker>();
  return (window) => {
    let worker = workers.get(window);
    if (!worker)
      workers.set(window, (worker = new CalibratedWorker(count, window, numPredict, system)));
    return worker;
  };
}
