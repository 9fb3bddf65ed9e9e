// principal/<key>: per-principal rate limits, one activation cluster-wide so limits hold across gateway nodes.
export { MAX_BUCKETS, PRINCIPAL_KIND, principalActor } from './principal-actor.ts';
export type { PrincipalActorOptions, PrincipalState } from './principal-actor.ts';
export { principalKind } from './principal-kind.ts';
export { PRINCIPAL_MESSAGE_TYPES, acquire } from './principal-messages.ts';
export type { AcquireMessage, AcquireReply, PrincipalMessage } from './principal-messages.ts';
export { NEVER_MS, takeToken } from './token-bucket.ts';
export type { RateLimit, TakeResult, TokenBucket } from './token-bucket.ts';
