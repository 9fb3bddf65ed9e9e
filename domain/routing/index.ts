// Smart order routing rules (pure, no I/O): plan how an order for a market listed on several venues
// is split over their books by fee-adjusted price (docs/trading.md, "Smart order routing").
export { compareFeeAdjusted, feeAdjustedPrice } from './fee-adjusted-price.ts';
export type { FeeAdjustedPrice } from './fee-adjusted-price.ts';
export { AVERAGE_PRICE_EXTRA_DECIMALS, planRoute } from './plan-route.ts';
export { UnfilledReason } from './route-plan.ts';
export type {
  RouteLeg,
  RouteLevel,
  RoutePlan,
  RouteRequestInput,
  RouteVenueInput,
  SkippedVenue,
} from './route-plan.ts';
