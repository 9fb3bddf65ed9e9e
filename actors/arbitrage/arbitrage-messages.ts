import type { ArbitrageConfigWire } from './arbitrage-config.ts';

/** What `arbitrage/<id>` accepts: a tick from the node's strategy driver carrying its config (JSON). */
export type ArbitrageCommand = { readonly type: 'arbitrage-tick'; readonly config: ArbitrageConfigWire };

export const ARBITRAGE_COMMAND_TYPES: readonly ArbitrageCommand['type'][] = ['arbitrage-tick'];
