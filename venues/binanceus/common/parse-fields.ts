// The field readers are shared by every venue adapter (venues/common); this module keeps the venue's
// own import path.
export * from '../../common/parse-fields.ts';
