// Exchange protocol adapters (binanceus, coinbase, oanda), the paper matching engine, and venue simulators under sim/. Populated by the venue issues.
// Nothing is exported yet: this folder holds the layer described in DESIGN.md.
export {};
