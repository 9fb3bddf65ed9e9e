// Client-facing gRPC and WebSocket servers, authentication, API keys, rate limits and validation. Populated by the gateway issue.
// Nothing is exported yet: this folder holds the layer described in DESIGN.md.
export {};
