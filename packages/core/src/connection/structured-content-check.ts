/**
 * The check `Client.callTool` makes of a result when the tool declares an `outputSchema`, for the
 * paths that take a call past the SDK's own (`input-rounds.ts`, `direct-tool-calls.ts`): the
 * registry's validator, the SDK's error types and messages. Compiled validators are kept per
 * schema object, as the SDK keeps them per listed tool.
 */
import {
  type CallToolResult,
  type JsonSchemaType,
  type jsonSchemaValidator,
  ProtocolError,
  ProtocolErrorCode,
  type Tool,
} from '@modelcontextprotocol/client';

type Validate = ReturnType<jsonSchemaValidator['getValidator']>;

export interface StructuredContentCheck {
  validator: jsonSchemaValidator | undefined;
  /** Validators compiled so far, per `outputSchema` object (optional: compiled per call without). */
  compiled?: WeakMap<object, Validate> | undefined;
}

/** Throws the SDK's `ProtocolError` when `result` does not match the tool's `outputSchema`. */
export function checkStructuredContent(
  result: CallToolResult,
  tool: Tool | undefined,
  name: string,
  check: StructuredContentCheck,
): void {
  const schema = tool?.outputSchema;
  if (!schema || !check.validator || result.isError) return;
  if (result.structuredContent === undefined) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      `Tool ${name} has an output schema but did not return structured content`,
    );
  }
  let validate = check.compiled?.get(schema);
  if (!validate) {
    validate = check.validator.getValidator(schema as JsonSchemaType);
    check.compiled?.set(schema, validate);
  }
  const outcome = validate(result.structuredContent);
  if (!outcome.valid) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Structured content does not match the tool's output schema: ${outcome.errorMessage}`,
    );
  }
}
