import { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { OrderSide, OrderStatus, OrderType, TimeInForce, formatInstrumentId } from '../../sdk/index.ts';
import type { Order, PlaceOrderInput } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { formatFields, formatTable, isoTime, print } from './client-output.ts';
import type { Column } from './client-output.ts';
import { accountOf, clientOptions, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

const ORDER_COLUMNS: readonly Column<Order>[] = [
  { header: 'ORDER ID', cell: (o) => o.orderId },
  { header: 'CLIENT ORDER ID', cell: (o) => o.clientOrderId },
  {
    header: 'INSTRUMENT',
    cell: (o) => (o.instrumentId === undefined ? undefined : formatInstrumentId(o.instrumentId)),
  },
  { header: 'SIDE', cell: (o) => o.side },
  { header: 'TYPE', cell: (o) => o.type },
  { header: 'QUANTITY', cell: (o) => o.quantity, decimal: true },
  { header: 'PRICE', cell: (o) => o.price, decimal: true },
  { header: 'FILLED', cell: (o) => o.filledQuantity, decimal: true },
  { header: 'STATUS', cell: (o) => o.status },
  { header: 'UPDATED', cell: (o) => isoTime(o.updateTime) },
];

function orderFields(order: Order): string[] {
  return formatFields([
    ['order id', order.orderId],
    ['client order id', order.clientOrderId],
    ['instrument', order.instrumentId === undefined ? undefined : formatInstrumentId(order.instrumentId)],
    ['side', order.side],
    ['type', order.type],
    ['time in force', order.timeInForce],
    ['quantity', order.quantity],
    ['price', order.price],
    ['stop price', order.stopPrice],
    ['status', order.status],
    ['filled', order.filledQuantity],
    ['average price', order.averageFillPrice],
    ['reject reason', order.rejectReason],
  ]);
}

/** An upper-case enum name from a flag written in any case ("buy", "stop-limit"). */
function choice<T extends string>(flag: string, text: string, names: readonly T[]): T {
  const wanted = text.trim().toUpperCase().replace(/-/g, '_');
  const found = names.find((name) => name === wanted);
  if (found === undefined) {
    throw new InvalidArgumentError(
      flag,
      `${JSON.stringify(text)} is not one of ${names.map((n) => n.toLowerCase()).join(', ')}`,
    );
  }
  return found;
}

interface PlaceFlags extends ClientFlags {
  readonly account?: string;
  readonly instrument: string;
  readonly side: string;
  readonly type: string;
  readonly quantity: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly tif?: string;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly expire?: string;
  readonly clientOrderId?: string;
}

function placeInput(accountId: string, flags: PlaceFlags): PlaceOrderInput {
  const expire = flags.expire === undefined ? undefined : new Date(flags.expire);
  if (expire !== undefined && Number.isNaN(expire.getTime())) {
    throw new InvalidArgumentError('--expire', `${JSON.stringify(flags.expire)} is not an ISO 8601 time`);
  }
  return {
    accountId,
    instrumentId: flags.instrument,
    side: choice('--side', flags.side, Object.values(OrderSide)),
    type: choice('--type', flags.type, Object.values(OrderType)),
    quantity: flags.quantity,
    ...(flags.price === undefined ? {} : { price: flags.price }),
    ...(flags.stopPrice === undefined ? {} : { stopPrice: flags.stopPrice }),
    ...(flags.tif === undefined
      ? {}
      : { timeInForce: choice('--tif', flags.tif, Object.values(TimeInForce)) }),
    ...(flags.postOnly === true ? { postOnly: true } : {}),
    ...(flags.reduceOnly === true ? { reduceOnly: true } : {}),
    ...(expire === undefined ? {} : { expireTime: expire }),
    ...(flags.clientOrderId === undefined ? {} : { clientOrderId: flags.clientOrderId }),
  };
}

const ACCOUNT_HELP =
  'trading account id (default $NINJA_ACCOUNT, the operator account, or your only account)';

/** `gekko orders place|cancel|list`. */
export function ordersCommand(context: CliContext): Command {
  const orders = new Command('orders').description('orders on your trading accounts');
  orders.addCommand(
    clientOptions(
      new Command('place')
        .description('place an order (the SDK gives it a client order id, so a retry cannot place it twice)')
        .requiredOption('--instrument <id>', 'e.g. BTC-USD.PAPER')
        .requiredOption('--side <side>', 'buy or sell')
        .requiredOption('--quantity <decimal>', 'e.g. 0.01')
        .option('--type <type>', 'market, limit, stop or stop-limit', 'limit')
        .option('--price <decimal>', 'limit price (limit, stop-limit)')
        .option('--stop-price <decimal>', 'trigger price (stop, stop-limit)')
        .option('--tif <tif>', 'gtc, gtd, ioc, fok or day')
        .option('--post-only', 'reject instead of taking liquidity (limit)')
        .option('--reduce-only', 'only reduce a position')
        .option('--expire <time>', 'ISO 8601 expiry (gtd)')
        .option('--client-order-id <id>', 'your idempotency key (1 to 36 of A-Z a-z 0-9 _ -)')
        .option('--account <id>', ACCOUNT_HELP),
    ).action(async (flags: PlaceFlags) => {
      const order = await withClient(context, flags, async (session) => {
        const accountId = await accountOf(context, session, flags.account);
        return session.client.trading.placeOrder(placeInput(accountId, flags));
      });
      print(context, flags, order, () => [`placed ${order.clientOrderId}`, ...orderFields(order)]);
    }),
  );
  orders.addCommand(
    clientOptions(
      new Command('cancel')
        .description('request cancellation of an order (by order id, or --client-order-id)')
        .argument('[order-id]', 'the order id (UUID)')
        .option('--client-order-id <id>', 'cancel by client order id instead')
        .option('--account <id>', ACCOUNT_HELP),
    ).action(
      async (
        orderId: string | undefined,
        flags: ClientFlags & { account?: string; clientOrderId?: string },
      ) => {
        if ((orderId === undefined) === (flags.clientOrderId === undefined)) {
          throw new InvalidArgumentError('order-id', 'give exactly one of <order-id> and --client-order-id');
        }
        const order = await withClient(context, flags, async (session) => {
          const accountId = await accountOf(context, session, flags.account);
          const ref = orderId !== undefined ? { orderId } : { clientOrderId: flags.clientOrderId ?? '' };
          return session.client.trading.cancelOrder(accountId, ref);
        });
        print(context, flags, order, () => [`cancellation requested`, ...orderFields(order)]);
      },
    ),
  );
  orders.addCommand(
    clientOptions(
      new Command('list')
        .description('list orders, newest first')
        .option('--instrument <id>', 'only this instrument, e.g. BTC-USD.PAPER')
        .option('--status <statuses>', 'comma-separated, e.g. acknowledged,partially-filled')
        .option('--limit <n>', 'at most this many (1 to 500)', '100')
        .option('--account <id>', ACCOUNT_HELP),
    ).action(
      async (
        flags: ClientFlags & { account?: string; instrument?: string; status?: string; limit: string },
      ) => {
        const limit = Number(flags.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
          throw new InvalidArgumentError(
            '--limit',
            `${JSON.stringify(flags.limit)} is not a whole number from 1 to 500`,
          );
        }
        const statuses = (flags.status ?? '')
          .split(',')
          .filter((item) => item.trim().length > 0)
          .map((item) => choice('--status', item, Object.values(OrderStatus)));
        const page = await withClient(context, flags, async (session) => {
          const accountId = await accountOf(context, session, flags.account);
          return session.client.trading.listOrders({
            accountId,
            pageSize: limit,
            statuses,
            ...(flags.instrument === undefined ? {} : { instrumentId: flags.instrument }),
          });
        });
        print(context, flags, page, () =>
          page.orders.length === 0 ? ['no orders'] : formatTable(ORDER_COLUMNS, page.orders),
        );
      },
    ),
  );
  return orders;
}
