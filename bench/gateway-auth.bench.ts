/**
 * Per-call authentication cost in the gateway: verifying an access token the first time it is seen
 * (Ed25519 signature via jose) against verifying it again through the bounded verified-token cache,
 * side by side in one run (both including the revoked-login check, answered from the node's copy
 * of the revoked logins; its once-a-second reload reads an in-memory list here, not PostgreSQL), plus the argon2id cost of a password hash and verification at the
 * gateway's parameters. Run: `node cli/bin/run-ts.js bench/gateway-auth.bench.ts`.
 * Exits non-zero when a target is missed.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import argon2 from 'argon2';
import { SessionRevocations } from '../gateway/auth/session-revocations.ts';
import { ARGON2_PARAMETERS, AccessTokens, Role, SigningKeyring } from '../gateway/index.ts';
import { beside, machineLoad } from './support/stats.ts';

export interface GatewayAuthBenchResult {
  readonly operation: string;
  readonly value: number;
  readonly unit: 'µs/op' | 'ms/op';
  readonly target: string;
  readonly pass: boolean;
}

export interface GatewayAuthBenchOptions {
  /** Distinct tokens (each verified once in full, then repeatedly from the cache). */
  readonly tokens?: number;
  /** Cached verifications timed per round. */
  readonly repeats?: number;
  readonly rounds?: number;
  readonly argon2Runs?: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function runGatewayAuthBench(
  options: GatewayAuthBenchOptions = {},
): Promise<GatewayAuthBenchResult[]> {
  const tokenCount = options.tokens ?? 2_000;
  const repeats = options.repeats ?? 200_000;
  const rounds = options.rounds ?? 3;
  const argon2Runs = options.argon2Runs ?? 8;

  const { privateKey } = generateKeyPairSync('ed25519');
  const keyring = await SigningKeyring.fromPems([
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ]);

  const firstSight: number[] = [];
  const cached: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // A fresh verifier per round, so first sight really is first sight.
    const tokens = new AccessTokens(keyring, { lifetimeSeconds: 300, cacheEntries: 10_000 });
    const revoked = [randomUUID(), randomUUID()];
    tokens.refuseRevokedSessions(
      new SessionRevocations({ revokedWithin: () => Promise.resolve(revoked) }, { windowSeconds: 365 }),
    );
    const issued: string[] = [];
    for (let i = 0; i < tokenCount; i++)
      issued.push((await tokens.issue(randomUUID(), [Role.TRADER], randomUUID())).token);

    let start = process.hrtime.bigint();
    for (const token of issued) await tokens.verify(token);
    firstSight.push(Number(process.hrtime.bigint() - start) / 1_000 / tokenCount);

    start = process.hrtime.bigint();
    let seen = 0;
    for (let i = 0; i < repeats; i++) {
      const claims = await tokens.verify(issued[i % tokenCount] ?? '');
      seen += claims.roles.length;
    }
    cached.push(Number(process.hrtime.bigint() - start) / 1_000 / repeats);
    if (seen !== repeats) throw new Error('cached verification returned wrong claims');
  }

  const hashes: number[] = [];
  const verifies: number[] = [];
  for (let i = 0; i < argon2Runs; i++) {
    let start = process.hrtime.bigint();
    const hash = await argon2.hash(`password number ${i}`, ARGON2_PARAMETERS);
    hashes.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    if (!(await argon2.verify(hash, `password number ${i}`))) throw new Error('argon2 verify failed');
    verifies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  const first = median(firstSight);
  const repeat = median(cached);
  const hashMs = median(hashes);
  const verifyMs = median(verifies);
  return [
    {
      operation: 'access token verify, first sight (EdDSA)',
      value: first,
      unit: 'µs/op',
      target: 'reported (no target)',
      pass: true,
    },
    {
      operation: 'access token verify, repeat (cache)',
      value: repeat,
      unit: 'µs/op',
      target: '≤ 10 µs',
      pass: repeat <= 10,
    },
    {
      operation: `argon2id hash (m=${ARGON2_PARAMETERS.memoryCost} KiB, t=${ARGON2_PARAMETERS.timeCost}, p=${ARGON2_PARAMETERS.parallelism})`,
      value: hashMs,
      unit: 'ms/op',
      target: '≥ 20 ms (not weaker than OWASP), ≤ 500 ms',
      pass: hashMs >= 20 && hashMs <= 500,
    },
    {
      operation: 'argon2id verify (one login)',
      value: verifyMs,
      unit: 'ms/op',
      target: '≤ 500 ms',
      pass: verifyMs <= 500,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runGatewayAuthBench();
  const first = results[0]?.value ?? Number.NaN;
  const repeat = results[1]?.value ?? Number.NaN;
  process.stdout.write(`gateway auth: ${machineLoad()}\n`);
  for (const r of results) {
    const figure = `${r.value.toFixed(r.unit === 'µs/op' ? 2 : 1)} ${r.unit}`;
    process.stdout.write(`${beside(r.operation, figure, r.target, r.pass)}\n`);
  }
  process.stdout.write(`cache speed-up on repeats: ${(first / repeat).toFixed(0)}×\n`);
  if (results.some((r) => !r.pass)) process.exitCode = 1;
}
