// Internals of the embedded PostgreSQL launcher (persistence/embedded-postgres.ts).
export {
  DataDirState,
  clearStalePidFile,
  inspectDataDir,
  newCredentials,
  readCredentials,
  writeCredentials,
} from './data-dir.ts';
export type { ServerCredentials } from './data-dir.ts';
export { findFreeLoopbackPort, isLoopbackPortOpen } from './free-port.ts';
export { loadEmbeddedPostgresLibrary } from './library.ts';
export type { EmbeddedPostgresClass, EmbeddedPostgresInstance } from './library.ts';
export { ensureNativeLibraryLinks, locateNativeBinaries } from './native-libraries.ts';
export type { NativeBinaries } from './native-libraries.ts';
export { isProcessAlive, signalProcess, waitForExit } from './process-control.ts';
export { SERVER_OS_USER, assertReachableBy, isRoot, resolveServerUser } from './server-user.ts';
export type { ServerUser } from './server-user.ts';
export { spawnServer } from './server-process.ts';
export type { ServerProcess } from './server-process.ts';
export { startWatchdog } from './watchdog.ts';
export type { Watchdog } from './watchdog.ts';
