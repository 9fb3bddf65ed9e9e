import { InvalidArgumentError } from '../../../domain/errors.ts';
import { OrderConfigurationKind, StopDirection } from '../common/enums.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import {
  asObject,
  bool,
  decimal,
  isOneOf,
  optBool,
  parseFixedDecimal,
  parsePrice,
  parseQuantity,
  time,
} from '../common/parse-fields.ts';
import type { WireObject } from '../common/parse-fields.ts';
import type { OrderConfiguration } from './models.ts';

/** The wire form: `{ "<kind>": { base_size, limit_price, … } }`, every number a string. */
export function configurationToWire(c: OrderConfiguration): Record<string, Record<string, string | boolean>> {
  switch (c.kind) {
    case 'market_market_ioc':
      return {
        [c.kind]:
          'quoteSize' in c ? { quote_size: c.quoteSize.toString() } : { base_size: c.baseSize.toString() },
      };
    case 'sor_limit_ioc':
    case 'limit_limit_fok':
      return { [c.kind]: { base_size: c.baseSize.toString(), limit_price: c.limitPrice.toString() } };
    case 'limit_limit_gtc':
      return {
        [c.kind]: {
          base_size: c.baseSize.toString(),
          limit_price: c.limitPrice.toString(),
          post_only: c.postOnly,
        },
      };
    case 'limit_limit_gtd':
      return {
        [c.kind]: {
          base_size: c.baseSize.toString(),
          limit_price: c.limitPrice.toString(),
          end_time: new Date(c.endTime).toISOString(),
          post_only: c.postOnly,
        },
      };
    case 'stop_limit_stop_limit_gtc':
      return {
        [c.kind]: {
          base_size: c.baseSize.toString(),
          limit_price: c.limitPrice.toString(),
          stop_price: c.stopPrice.toString(),
          stop_direction: c.stopDirection,
        },
      };
    case 'stop_limit_stop_limit_gtd':
      return {
        [c.kind]: {
          base_size: c.baseSize.toString(),
          limit_price: c.limitPrice.toString(),
          stop_price: c.stopPrice.toString(),
          stop_direction: c.stopDirection,
          end_time: new Date(c.endTime).toISOString(),
        },
      };
    default:
      throw new InvalidArgumentError('configuration', `unsupported kind ${(c as { kind: string }).kind}`);
  }
}

/**
 * Reads an `order_configuration` object. Exactly one known key must be present; an order placed with a
 * configuration the connector does not model (TWAP, brackets…) gives `undefined`, and a known key with
 * a broken body throws MalformedPayloadError (`kind` names the payload for the error).
 */
export function configurationFromWire(value: unknown, kind: string): OrderConfiguration | undefined {
  const o = asObject(value, kind, 'order_configuration');
  const keys = Object.keys(o).filter((k) => o[k] !== null && o[k] !== undefined);
  const known = keys.filter((k) => isOneOf(OrderConfigurationKind, k.toUpperCase()));
  if (known.length === 0) return undefined;
  if (known.length > 1) {
    throw new MalformedPayloadError(
      kind,
      'order_configuration',
      `more than one configuration: ${known.join(', ')}`,
    );
  }
  const key = known[0] as OrderConfiguration['kind'];
  const body = asObject(o[key], kind, `order_configuration.${key}`);
  const f = `order_configuration.${key}`;
  const base = (): ReturnType<typeof parseQuantity> =>
    decimal(body['base_size'], kind, `${f}.base_size`, parseQuantity);
  const limit = (): ReturnType<typeof parsePrice> =>
    decimal(body['limit_price'], kind, `${f}.limit_price`, parsePrice);
  const stop = (): ReturnType<typeof parsePrice> =>
    decimal(body['stop_price'], kind, `${f}.stop_price`, parsePrice);
  const end = (): number => time(body, 'end_time', kind);
  const direction = (): StopDirection => {
    const d = body['stop_direction'];
    if (d !== StopDirection.STOP_UP && d !== StopDirection.STOP_DOWN) {
      throw new MalformedPayloadError(kind, `${f}.stop_direction`, `unknown value ${JSON.stringify(d)}`);
    }
    return d;
  };
  switch (key) {
    case 'market_market_ioc':
      return hasValue(body, 'quote_size') && !hasValue(body, 'base_size')
        ? { kind: key, quoteSize: decimal(body['quote_size'], kind, `${f}.quote_size`, parseFixedDecimal) }
        : { kind: key, baseSize: base() };
    case 'sor_limit_ioc':
    case 'limit_limit_fok':
      return { kind: key, baseSize: base(), limitPrice: limit() };
    case 'limit_limit_gtc':
      return { kind: key, baseSize: base(), limitPrice: limit(), postOnly: postOnly(body, kind) };
    case 'limit_limit_gtd':
      return {
        kind: key,
        baseSize: base(),
        limitPrice: limit(),
        endTime: end(),
        postOnly: postOnly(body, kind),
      };
    case 'stop_limit_stop_limit_gtc':
      return {
        kind: key,
        baseSize: base(),
        limitPrice: limit(),
        stopPrice: stop(),
        stopDirection: direction(),
      };
    case 'stop_limit_stop_limit_gtd':
      return {
        kind: key,
        baseSize: base(),
        limitPrice: limit(),
        stopPrice: stop(),
        stopDirection: direction(),
        endTime: end(),
      };
    default:
      return undefined;
  }
}

function hasValue(o: WireObject, key: string): boolean {
  return o[key] !== undefined && o[key] !== null && o[key] !== '';
}

function postOnly(o: WireObject, kind: string): boolean {
  return o['post_only'] === undefined ? false : (optBool(o, 'post_only', kind) ?? bool(o, 'post_only', kind));
}
