// Place a limit order with an API key: decimals are strings, bad input names its field, and an
// order carries a client order id so that a retried PlaceOrder cannot place it twice.
import { InvalidArgumentError, NinjaClient, UnimplementedError } from '../index.ts';
import type { Order } from '../index.ts';
import type { Example } from './example-runner.ts';
import { required, runIfMain } from './example-runner.ts';

export const placeOrder: Example<{ order: Order | undefined; rejectedField: string }> = async (
  settings,
  print,
) => {
  const client = new NinjaClient({
    address: settings.gateway,
    apiKey: required(settings.apiKey, 'NINJA_API_KEY'),
  });
  try {
    const accountId = settings.accountId ?? (await client.accounts.listAccounts())[0]?.accountId;
    if (accountId === undefined) throw new Error('the key owns no trading account');

    // Checked before sending: the error names the field as the .proto does.
    let rejectedField = '';
    try {
      await client.trading.placeOrder({
        accountId,
        instrumentId: 'BTC-USD.PAPER',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '1e-3',
        price: '50000',
      });
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      rejectedField = error.field;
      print(`refused: ${error.field}: ${error.message}`);
    }

    let order: Order | undefined;
    try {
      order = await client.trading.placeOrder({
        accountId,
        instrumentId: 'BTC-USD.PAPER',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.010',
        price: '50000.00',
        clientOrderId: `example-${Date.now().toString(36)}`,
      });
      print(`order ${order.orderId} ${order.status}: ${order.quantity ?? '?'} @ ${order.price ?? '?'}`);
    } catch (error) {
      // A gateway whose order manager is not running yet says so with UNIMPLEMENTED.
      if (!(error instanceof UnimplementedError)) throw error;
      print(`not served by this gateway yet: ${error.message}`);
    }
    return { order, rejectedField };
  } finally {
    client.close();
  }
};

await runIfMain(import.meta.url, placeOrder);
