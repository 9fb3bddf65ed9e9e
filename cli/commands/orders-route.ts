// `gekko orders route`: smart order routing over your accounts on every venue listing a market.
import { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { OrderSide, formatInstrumentId } from '../../sdk/index.ts';
import type { RouteLeg, RouteOrderResult } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { formatFields, formatTable, print } from './client-output.ts';
import type { Column } from './client-output.ts';
import { clientOptions, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

interface RouteFlags extends ClientFlags {
  readonly base: string;
  readonly quote: string;
  readonly side: string;
  readonly quantity: string;
  readonly limitPrice?: string;
  readonly account: readonly string[];
  readonly planId?: string;
}

type Child = RouteOrderResult['children'][number];
interface Row {
  readonly leg: RouteLeg;
  readonly child: Child | undefined;
}

const LEG_COLUMNS: readonly Column<Row>[] = [
  { header: '#', cell: (r) => String(r.leg.index), right: true },
  {
    header: 'INSTRUMENT',
    cell: (r) => (r.leg.instrumentId === undefined ? undefined : formatInstrumentId(r.leg.instrumentId)),
  },
  { header: 'QUANTITY', cell: (r) => r.leg.quantity, decimal: true },
  { header: 'LIMIT', cell: (r) => r.leg.limitPrice, decimal: true },
  { header: 'EXP. FEE', cell: (r) => r.leg.expectedFee, decimal: true },
  { header: 'CLIENT ORDER ID', cell: (r) => r.leg.clientOrderId },
  {
    header: 'CHILD',
    cell: (r) =>
      r.child?.order !== undefined
        ? `${r.child.order.status} ${r.child.order.filledQuantity ?? '0'} filled`
        : r.child?.error !== undefined
          ? `${r.child.error.code}: ${r.child.error.message}`
          : undefined,
  },
];

function side(text: string): OrderSide {
  const wanted = text.trim().toUpperCase();
  const found = Object.values(OrderSide).find((s) => s === wanted);
  if (found === undefined)
    throw new InvalidArgumentError('--side', `${JSON.stringify(text)} is not buy or sell`);
  return found;
}

function humanLines(result: RouteOrderResult): string[] {
  const { plan } = result;
  const rows = plan.legs.map((leg) => ({
    leg,
    child: result.children.find((c) => c.legIndex === leg.index),
  }));
  return [
    `${result.created ? 'routed' : 'replayed'} plan ${plan.planId}`,
    ...formatFields([
      ['market', `${plan.baseAsset}/${plan.quoteAsset}`],
      ['side', plan.side],
      ['requested', plan.requestedQuantity],
      ['limit price', plan.limitPrice],
      ['planned', plan.plannedQuantity],
      [
        'unfilled',
        plan.unfilledReason === undefined
          ? plan.unfilledQuantity
          : `${plan.unfilledQuantity} (${plan.unfilledReason})`,
      ],
      [
        'expected avg price',
        plan.expectedAveragePrice === undefined ? undefined : `${plan.expectedAveragePrice} (fees included)`,
      ],
      ['expected fees', plan.expectedFees],
    ]),
    ...(rows.length === 0 ? ['no legs'] : formatTable(LEG_COLUMNS, rows)),
    ...plan.skipped.map((s) => `skipped ${s.venue}: ${s.reason}`),
  ];
}

/** `gekko orders route` (registered under `gekko orders` by cli/main.ts). */
export function routeOrderCommand(context: CliContext): Command {
  return clientOptions(
    new Command('route')
      .description(
        'buy or sell a market over your accounts on every venue listing it, split by book liquidity net of taker fees (IOC children; the plan is recorded first)',
      )
      .requiredOption('--base <asset>', 'what is bought or sold, e.g. BTC')
      .requiredOption('--quote <asset>', 'what it is paid in, e.g. USD')
      .requiredOption('--side <side>', 'buy or sell')
      .requiredOption('--quantity <decimal>', 'e.g. 0.5')
      .option('--limit-price <decimal>', 'worst level price acceptable')
      .option(
        '--account <id>',
        'an account to route over, repeatable (default: all of yours on venues listing the market)',
        (value: string, previous: readonly string[]) => [...previous, value],
        [] as readonly string[],
      )
      .option('--plan-id <uuid>', 'your idempotency key for the route (a repeat replays the same plan)'),
  ).action(async (flags: RouteFlags) => {
    const result = await withClient(context, flags, (session) =>
      session.client.trading.routeOrder({
        baseAsset: flags.base.toUpperCase(),
        quoteAsset: flags.quote.toUpperCase(),
        side: side(flags.side),
        quantity: flags.quantity,
        ...(flags.limitPrice === undefined ? {} : { limitPrice: flags.limitPrice }),
        ...(flags.account.length === 0 ? {} : { accountIds: flags.account }),
        ...(flags.planId === undefined ? {} : { planId: flags.planId }),
      }),
    );
    print(context, flags, result, () => humanLines(result));
  });
}
