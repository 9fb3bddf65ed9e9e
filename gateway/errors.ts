// The gateway's errors are the domain's; UNIMPLEMENTED marks methods whose backing actors are not built yet.
export { UnimplementedError } from '../domain/errors.ts';
