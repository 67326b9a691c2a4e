/**
 * Test support for toolwire packages: real MCP servers to test against (the pinned reference
 * servers and our own fixtures), and the probes leak tests need (child processes, active
 * handles). Other workspace packages import it by relative path
 * (`../../core/test/support/index.js`); see README.md in this folder.
 */

export {
  type EchoPeer,
  type EchoPeerMode,
  type EchoPeerOptions,
  startEchoPeer,
} from '../fixtures/echo-peer.js';
export {
  activeResources,
  addedResources,
  type ResourceCounts,
  settledResources,
} from './active-resources.js';
export {
  type CatalogueServers,
  catalogueNames,
  catalogueToolCount,
  recordedReferenceServers,
  recordedStarts,
  startCatalogueServers,
} from './catalogue-servers.js';
export {
  type FixtureEvent,
  type FixtureOptions,
  fixtureStdio,
  type HttpFixtureOptions,
  type HttpFixtureServer,
  readEvents,
  startHttpFixture,
  waitForEvent,
} from './fixture-servers.js';
export { freePort } from './free-port.js';
export {
  type ListedCall,
  type ListedToolsOptions,
  listedToolsStdio,
  readListedCalls,
} from './listed-tools-servers.js';
export {
  type LoopbackHandler,
  type LoopbackHttpServer,
  type RecordedHttpRequest,
  startLoopbackHttp,
  streamBytes,
} from './loopback-http.js';
export { nativeRegExpSources } from './native-regexp-runs.js';
export {
  coreRoot,
  fixturePath,
  fixturesDir,
  loopbackOnlyPreload,
  packageFile,
  sourceLoaderPreload,
  sourceNodeArgs,
} from './paths.js';
export { childProcessIds, isProcessAlive } from './processes.js';
export {
  type EverythingHttpMode,
  type EverythingHttpServer,
  everythingStdio,
  everythingTestEnv,
  filesystemStdio,
  memoryStdio,
  startEverythingHttp,
} from './reference-servers.js';
export {
  assertNoSecrets,
  createOutputRecorder,
  findSecrets,
  type OutputRecorder,
  registryEventNames,
  type SecretForm,
  type SecretHit,
  textForms,
} from './secret-search.js';
export { type ServerProcess, type StartServerProcessOptions, startServerProcess } from './server-process.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { createTempDir, type TempDir } from './temp-dir.js';
export { type WaitForOptions, waitFor } from './wait-for.js';
