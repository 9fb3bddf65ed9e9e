// The wire contract: messages generated from proto/ninja/v1 by `npm run proto` (ts-proto).
export { Decimal, Money } from './gen/ninja/v1/decimal.ts';
export { Instrument, InstrumentId } from './gen/ninja/v1/instrument.ts';
export {
  Fill,
  Liquidity,
  Order,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from './gen/ninja/v1/order.ts';
export { Timestamp } from './gen/google/protobuf/timestamp.ts';
export {
  ClusterTransportServiceClient,
  ClusterTransportServiceService,
  ConnectRequest,
  ConnectResponse,
  Envelope,
  EnvelopeBatch,
  EnvelopeKind,
  ErrorDetail,
  Hello,
  Welcome,
} from './gen/ninja/v1/cluster_transport.ts';
export type { ClusterTransportServiceServer } from './gen/ninja/v1/cluster_transport.ts';
