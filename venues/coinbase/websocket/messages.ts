/** A subscribe or unsubscribe request: one channel per message, `jwt` required for `user`. */
export interface SubscribeRequest {
  readonly type: 'subscribe' | 'unsubscribe';
  readonly channel: string;
  readonly product_ids?: readonly string[];
  readonly jwt?: string;
}
