/**
 * Which model drives the agent turns: a real provider when an API key is set, otherwise a
 * scripted model (no network, no key) whose answers are computed from the tool results it
 * received, so they are only right when the tools really worked.
 */
export interface ModelChoice {
  /** `undefined`: scripted. */
  provider: 'openai' | undefined;
  apiKey: string | undefined;
  modelName: string;
}

export function chooseModel(env: NodeJS.ProcessEnv = process.env): ModelChoice {
  const apiKey = env.OPENAI_API_KEY;
  return { provider: apiKey ? 'openai' : undefined, apiKey, modelName: env.OPENAI_MODEL ?? 'gpt-4o-mini' };
}

export function describeModel(choice: ModelChoice): string {
  return choice.provider
    ? `${choice.provider} ${choice.modelName}`
    : 'scripted model (set OPENAI_API_KEY for a real one)';
}
