// One MalformedPayloadError for every venue adapter (venues/common), so stream handlers and the
// venue actor recognise bad venue input the same way whichever venue sent it.
export { MalformedPayloadError } from '../../common/parse-error.ts';
