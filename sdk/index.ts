// The typed gRPC client SDK. Populated by the gateway issue.
// Nothing is exported yet: this folder holds the layer described in DESIGN.md.
export {};
