import type { ClusterNode } from '../../cluster/index.ts';
import type { Router } from '../../nodes/routing.ts';
import type { PrincipalLimiter } from '../api/principal-limiter.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { ApiKeys } from '../auth/api-keys.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { AccountDirectory } from './account-directory.ts';
import type { OrderListing } from './order-listing.ts';

/** What the method handlers use. */
export interface GatewayServices {
  readonly sessions: Sessions;
  readonly apiKeys: ApiKeys;
  readonly limiter: PrincipalLimiter;
  readonly auditor: Auditor;
  readonly accounts: AccountDirectory;
  readonly cluster: ClusterNode;
  /** Smart order routing (RouteOrder): plans, records and places routed orders. */
  readonly router: Router;
  /** ListOrders and GetOrder by order id over the order managers' memory and the order history. */
  readonly orderListing: OrderListing;
}
