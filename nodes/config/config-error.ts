import { InvalidArgumentError } from '../../domain/errors.ts';

/** One thing wrong with the configuration, naming the field and where it came from. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `gateway.grpcPort`. */
  readonly field: string;
  /** Where the value came from: an environment variable name, the config file, or the defaults. */
  readonly source: string;
  readonly message: string;
}

/** The configuration is invalid; `issues` lists every problem found, not only the first. */
export class ConfigError extends InvalidArgumentError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const first = issues[0];
    super(first === undefined ? 'config' : first.field, 'invalid configuration');
    // The field prefix of InvalidArgumentError would name only the first issue; list them all.
    this.message = `invalid configuration:\n${issues.map((i) => `  - ${i.field} (${i.source}): ${i.message}`).join('\n')}`;
    this.issues = issues;
  }
}
