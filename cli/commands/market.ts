import { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { formatInstrumentId } from '../../sdk/index.ts';
import type { Instrument, OrderBookLevel } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { formatTable, isoTime, print } from './client-output.ts';
import type { Column } from './client-output.ts';
import { clientOptions, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

const INSTRUMENT_COLUMNS: readonly Column<Instrument>[] = [
  {
    header: 'INSTRUMENT',
    cell: (i) => (i.instrumentId === undefined ? undefined : formatInstrumentId(i.instrumentId)),
  },
  { header: 'BASE', cell: (i) => i.baseAsset },
  { header: 'QUOTE', cell: (i) => i.quoteAsset },
  { header: 'TICK', cell: (i) => i.tickSize, decimal: true },
  { header: 'STEP', cell: (i) => i.stepSize, decimal: true },
  { header: 'MIN QTY', cell: (i) => i.minQuantity, decimal: true },
  { header: 'MIN NOTIONAL', cell: (i) => i.minNotional, decimal: true },
];

interface BookRow {
  readonly bid: OrderBookLevel | undefined;
  readonly ask: OrderBookLevel | undefined;
}

const BOOK_COLUMNS: readonly Column<BookRow>[] = [
  { header: 'BID QTY', cell: (r) => r.bid?.quantity, decimal: true },
  { header: 'BID', cell: (r) => r.bid?.price, decimal: true },
  { header: 'ASK', cell: (r) => r.ask?.price, decimal: true },
  { header: 'ASK QTY', cell: (r) => r.ask?.quantity, decimal: true },
];

/** `gekko instruments`: the instruments of the connected venues. */
export function instrumentsCommand(context: CliContext): Command {
  return clientOptions(
    new Command('instruments')
      .description('list tradable instruments')
      .option('--venue <venue>', 'only this venue, e.g. paper'),
  ).action(async (flags: ClientFlags & { readonly venue?: string }) => {
    const instruments = await withClient(context, flags, ({ client }) =>
      client.marketData.listInstruments(flags.venue),
    );
    print(context, flags, instruments, () =>
      instruments.length === 0 ? ['no instruments'] : formatTable(INSTRUMENT_COLUMNS, instruments),
    );
  });
}

/** `gekko book <instrument>`: the current L2 book, bids and asks side by side. */
export function bookCommand(context: CliContext): Command {
  return clientOptions(
    new Command('book')
      .description('show the order book of an instrument')
      .argument('<instrument>', 'e.g. BTC-USD.PAPER')
      .option('--depth <n>', 'levels per side (1 to 1000)', '10'),
  ).action(async (instrument: string, flags: ClientFlags & { readonly depth: string }) => {
    const depth = Number(flags.depth);
    if (!Number.isInteger(depth) || depth < 1 || depth > 1000) {
      throw new InvalidArgumentError(
        '--depth',
        `${JSON.stringify(flags.depth)} is not a whole number from 1 to 1000`,
      );
    }
    const book = await withClient(context, flags, ({ client }) =>
      client.marketData.getOrderBook(instrument, depth),
    );
    const rows: BookRow[] = [];
    for (let i = 0; i < Math.max(book.bids.length, book.asks.length); i++)
      rows.push({ bid: book.bids[i], ask: book.asks[i] });
    print(context, flags, book, () => [
      `${book.instrumentId === undefined ? instrument : formatInstrumentId(book.instrumentId)}  sequence ${book.sequence.toString()}  ${isoTime(book.updateTime) ?? ''}`.trimEnd(),
      ...(rows.length === 0 ? ['(empty book)'] : formatTable(BOOK_COLUMNS, rows)),
    ]);
  });
}
