/**
 * @toolwire/ai-sdk: registry tools as Vercel AI SDK tools.
 * The adapter lands with its own issue; this entry names every public symbol.
 */
export const PACKAGE_NAME = '@toolwire/ai-sdk';
