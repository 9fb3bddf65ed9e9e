// Protocol-faithful venue simulators on loopback, backed by the paper matching engine, with a
// control API for fault injection (see docs/simulators.md).
export { FaultInjector, parseFaultSettings } from './faults.ts';
export type { FaultSettings } from './faults.ts';
export { startSimServer } from './sim-server.ts';
export type { SimRequest, SimResponse, SimServer, SimServerOptions, SimVenue } from './sim-server.ts';
export { gateRequest } from './fault-gate.ts';
export type { FaultAnswers, GateDecision } from './fault-gate.ts';
