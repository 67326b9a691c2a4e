/** The logger interface toolwire writes to. Any `console`-like object fits. */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Default: quiet about routine things, loud about problems (warnings and errors to stderr). */
export const defaultLogger: Logger = {
  debug() {},
  info() {},
  warn(message) {
    console.warn(`[toolwire] ${message}`);
  },
  error(message) {
    console.error(`[toolwire] ${message}`);
  },
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
