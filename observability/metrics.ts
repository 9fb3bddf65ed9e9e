import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client';

/**
 * One registry per node process; components register their metrics on it and the node serves it at
 * `/metrics`. Tests create their own registry so that runs do not share counters.
 */
export class MetricsRegistry {
  readonly registry: Registry;

  constructor(options: { readonly defaultMetrics?: boolean; readonly prefix?: string } = {}) {
    this.registry = new Registry();
    if (options.defaultMetrics === true) {
      collectDefaultMetrics({ register: this.registry, prefix: options.prefix ?? 'ninja_' });
    }
  }

  /** Returns the counter of that name, creating it on first use (idempotent, so components can share one). */
  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing !== undefined) return existing as Counter<L>;
    return new Counter<L>({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing !== undefined) return existing as Gauge<L>;
    return new Gauge<L>({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing !== undefined) return existing as Histogram<L>;
    return new Histogram<L>({ ...config, registers: [this.registry] });
  }

  /** The Prometheus text exposition of every registered metric. */
  async expose(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
