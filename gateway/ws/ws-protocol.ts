import { InvalidArgumentError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';

/**
 * The WebSocket protocol: JSON text frames mirroring the gRPC API.
 *   → {"id": "1", "method": "ninja.v1.AuthService/Login", "params": {...proto3 JSON of the request...}}
 *   ← {"id": "1", "result": {...}}                 unary answer
 *   ← {"id": "1", "stream": {...}} … {"id": "1", "end": true}   server stream
 *   ← {"id": "1", "error": {"code": "INVALID_ARGUMENT", "status": 3, "message": "...", "field": "..."}}
 * Two methods exist only here: "authenticate" (params {"authorization": "Bearer …"} or
 * {"apiKey": "…"}) binds credentials to the connection, and "cancel" (params {"id": "<stream id>"})
 * ends a stream.
 */
export interface WsRequest {
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
}

export const MAX_REQUEST_ID_LENGTH = 64;

/** Parses one text frame; InvalidArgumentError naming the field that is wrong. */
export function parseWsRequest(text: string): WsRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError('message', `is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('message', 'must be a JSON object {id, method, params}');
  }
  const { id, method, params, ...rest } = parsed as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new InvalidArgumentError(extra, 'is not a field of a request');
  const idText = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
  if (typeof idText !== 'string' || idText.length === 0 || idText.length > MAX_REQUEST_ID_LENGTH) {
    throw new InvalidArgumentError(
      'id',
      `must be a string of 1 to ${MAX_REQUEST_ID_LENGTH} characters or an integer`,
    );
  }
  if (typeof method !== 'string' || method.length === 0 || method.length > 128) {
    throw new InvalidArgumentError('method', 'must be a method name such as "ninja.v1.AuthService/Login"');
  }
  const paramsValue = params ?? {};
  if (typeof paramsValue !== 'object' || Array.isArray(paramsValue)) {
    throw new InvalidArgumentError('params', 'must be a JSON object');
  }
  return { id: idText, method, params: paramsValue };
}

/** The id of a frame that failed to parse, when it has a usable one (so the error can be matched). */
export function requestIdOf(text: string): string | null {
  const match = /"id"\s*:\s*("([^"\\]{1,64})"|(\d{1,15}))/.exec(text.slice(0, 256));
  return match?.[2] ?? match?.[3] ?? null;
}

export function errorFrame(id: string | null, error: NinjaError, correlationId: string): string {
  const field = error instanceof InvalidArgumentError ? { field: error.field } : {};
  return JSON.stringify({
    id,
    error: { code: error.code, status: error.grpcStatus, message: error.message, ...field, correlationId },
  });
}
