import type { Logger } from '../../observability/index.ts';
import type { MembershipEvent, MembershipListener } from './membership-provider.ts';

/** Listener set whose faulty members are logged, never allowed to break delivery to the others. */
export class MembershipListeners {
  private readonly listeners = new Set<MembershipListener>();

  constructor(private readonly logger: Logger) {}

  add(listener: MembershipListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: MembershipEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.type }, 'membership listener threw');
      }
    }
  }
}
