/**
 * Tokens that passed full verification, so that repeated calls with one token cost a map lookup
 * instead of an Ed25519 verification. Keyed by the whole token text: any change to a token is a
 * miss and is verified in full. Bounded: the oldest entry goes first when it is full, and an entry
 * is never served after its token's expiry.
 */
export class VerifiedTokenCache<Claims> {
  private readonly entries = new Map<string, { readonly claims: Claims; readonly expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): Claims | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  set(token: string, claims: Claims, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { claims, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
