// Client-facing gRPC and WebSocket servers, authentication (users, JWT, refresh rotation, API keys), rate limits, validation and audit.
export { Gateway } from './gateway.ts';
export type { GatewayOptions } from './gateway.ts';
export type { GrpcGatewayServer } from './grpc/grpc-gateway-server.ts';
export { MAX_REQUEST_BYTES } from './grpc/grpc-gateway-server.ts';
export { MAX_FRAME_BYTES, WS_PATH } from './ws/ws-gateway.ts';
export {
  OPERATOR_EMAIL,
  defaultCredentialsFile,
  ensureDevelopmentOperator,
} from './dev/operator-credentials.ts';
export type { OperatorCredentials } from './dev/operator-credentials.ts';
export { ARGON2_PARAMETERS, PasswordHasher } from './auth/password-hasher.ts';
export { AccessTokens, TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth/access-tokens.ts';
export type { AccessTokenClaims } from './auth/access-tokens.ts';
export { SigningKeyring, TOKEN_ALGORITHM } from './auth/signing-keys.ts';
export { VerifiedTokenCache } from './auth/verified-token-cache.ts';
export { Role, Scope } from './auth/roles-and-scopes.ts';
export { UnimplementedError } from './errors.ts';
