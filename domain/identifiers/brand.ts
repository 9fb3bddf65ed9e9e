declare const brand: unique symbol;

/**
 * A nominal type: `T` tagged with a name under a symbol no value can carry, so two identifiers
 * that are both strings (a `UserId`, an `AccountId`) cannot be assigned to each other. Values get
 * the brand only from the identifier's `parse…` function, which validates them.
 */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };
