/**
 * Turns chat messages (or a generate prompt) into the single prompt string the model
 * reads. The format follows the Llama 2 chat template Ollama ships for that family,
 * which is what the test model is: system text wrapped in `<<SYS>>`, user turns in
 * `[INST] ... [/INST]`, assistant turns in between.
 */

/** One chat message as the API receives it (only the fields that reach the prompt). */
export interface TemplateMessage {
  role: string;
  content: string;
}

/**
 * Renders a chat history into a prompt ending where the assistant's reply begins.
 */
export function renderChatPrompt(messages: readonly TemplateMessage[]): string {
  let prompt = "";
  let pendingSystem = "";
  for (const message of messages) {
    switch (message.role) {
      case "system":
        pendingSystem += `<<SYS>>\n${message.content}\n<</SYS>>\n\n`;
        break;
      case "assistant":
        prompt += ` ${message.content} `;
        break;
      default:
        // user and tool turns are both input the assistant answers.
        prompt += `[INST] ${pendingSystem}${message.content} [/INST]`;
        pendingSystem = "";
    }
  }
  // A trailing system message with no user turn after it still reaches the model.
  if (pendingSystem !== "") prompt += `[INST] ${pendingSystem.trimEnd()} [/INST]`;
  return prompt;
}

/**
 * Renders a `/api/generate` prompt: the template around system and prompt, or the
 * prompt untouched when `raw` is set.
 */
export function renderGeneratePrompt(prompt: string, system?: string, raw?: boolean): string {
  if (raw === true) return prompt;
  const messages: TemplateMessage[] = [];
  if (system !== undefined && system !== "") messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: prompt });
  return renderChatPrompt(messages);
}
