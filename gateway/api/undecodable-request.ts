/** Stands in for a request whose bytes are not a valid protobuf message; answered INVALID_ARGUMENT. */
export class UndecodableRequest {
  constructor(readonly reason: string) {}
}
