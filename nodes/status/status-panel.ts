import type { Logger } from '../../observability/index.ts';
import type { ConnectInfo } from './status-render.ts';
import { renderStatus, summariseStatus } from './status-render.ts';
import { readStatus } from './status-snapshot.ts';
import type { StatusSources } from './status-snapshot.ts';

export interface StatusPanelOptions {
  readonly sources: StatusSources;
  readonly connect: ConnectInfo;
  readonly logger: Logger;
  /** The terminal to draw on; when it is not a TTY the panel logs a compact line instead. */
  readonly out: NodeJS.WriteStream;
  /** Redraw period on a TTY. Default 1 s. */
  readonly redrawMs?: number;
  /** Log period when not a TTY. Default 10 s. */
  readonly logEveryMs?: number;
}

export interface StatusPanel {
  /** Stops redrawing and gives the terminal back (cursor shown); idempotent. */
  stop(): Promise<void>;
}

const HOME_AND_CLEAR = '\u001b[H\u001b[J';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * While a node runs: on a TTY, the status block redrawn in place about every second (cursor home,
 * clear, draw: the screen never scrolls); otherwise one compact pino line every 10 s. A round
 * never overlaps the previous one, and a source that fails shows as unavailable.
 */
export function startStatusPanel(options: StatusPanelOptions): StatusPanel {
  const tty = options.out.isTTY;
  const period = tty ? (options.redrawMs ?? 1000) : (options.logEveryMs ?? 10_000);
  let running: Promise<void> | undefined;
  let stopped = false;

  const round = async (): Promise<void> => {
    try {
      const snapshot = await readStatus(options.sources);
      if (stopped) return;
      if (tty) {
        const lines = renderStatus(snapshot, options.connect);
        options.out.write(`${HOME_AND_CLEAR}${lines.join('\n')}\n`);
      } else {
        options.logger.info(summariseStatus(snapshot), 'status');
      }
    } catch (error) {
      options.logger.warn({ err: error }, 'status panel round failed');
    }
  };
  const tick = (): void => {
    if (running !== undefined || stopped) return;
    running = round().finally(() => {
      running = undefined;
    });
  };
  if (tty) options.out.write(HIDE_CURSOR);
  tick();
  const timer = setInterval(tick, period);
  timer.unref();
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      if (tty) options.out.write(SHOW_CURSOR);
    },
  };
}
