import type { Logger } from '../../observability/index.ts';
import type { ActivationListener, LocalActivation, PassivationReason } from './local-actors.ts';

/** The listeners of a node's activations and passivations; a throwing listener is logged, the rest still run. */
export class ActivationListeners {
  private readonly listeners = new Set<ActivationListener>();

  constructor(private readonly logger: Logger) {}

  /** Adds `listener`; returns the function that removes it. */
  add(listener: ActivationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(activation: LocalActivation, passivated: PassivationReason | undefined): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(activation, passivated);
      } catch (error) {
        this.logger.error({ err: error, identity: activation.identity.text }, 'activation listener threw');
      }
    }
  }
}
