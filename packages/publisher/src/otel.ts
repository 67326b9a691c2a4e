/**
 * @toolwire/publisher/otel: OpenTelemetry server spans for published tools, continuing the
 * caller's trace. Needs the optional peer dependency `@opentelemetry/api`; the root never loads it.
 */
export {
  createPublisherOpenTelemetry,
  type PublisherOpenTelemetryOptions,
} from './telemetry/open-telemetry.js';
