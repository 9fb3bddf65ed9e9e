/**
 * @peculiar/x509 pulls in tsyringe, which refuses to load unless `Reflect.getMetadata` exists (it
 * expects the reflect-metadata polyfill, which is not a dependency here). x509 only needs the
 * lookups to work, not TypeScript's emitted design-time metadata, so a small WeakMap store is
 * enough. It is installed only when no polyfill is present. Import this before @peculiar/x509.
 */
type MetadataStore = WeakMap<object, Map<string | symbol | undefined, Map<unknown, unknown>>>;

interface ReflectWithMetadata {
  getMetadata?: unknown;
  getOwnMetadata?: unknown;
  defineMetadata?: unknown;
  hasMetadata?: unknown;
}

const reflect = Reflect as unknown as ReflectWithMetadata;
if (typeof reflect.getMetadata !== 'function') {
  const store: MetadataStore = new WeakMap();
  const own = (target: object, property: string | symbol | undefined): Map<unknown, unknown> | undefined =>
    store.get(target)?.get(property);
  const lookup = (key: unknown, target: object, property?: string | symbol): unknown => {
    for (let at: object | null = target; at !== null; at = Object.getPrototypeOf(at) as object | null) {
      const found = own(at, property);
      if (found?.has(key) === true) return found.get(key);
    }
    return undefined;
  };
  reflect.defineMetadata = (
    key: unknown,
    value: unknown,
    target: object,
    property?: string | symbol,
  ): void => {
    let byProperty = store.get(target);
    if (byProperty === undefined) {
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let entries = byProperty.get(property);
    if (entries === undefined) {
      entries = new Map();
      byProperty.set(property, entries);
    }
    entries.set(key, value);
  };
  reflect.getOwnMetadata = (key: unknown, target: object, property?: string | symbol): unknown =>
    own(target, property)?.get(key);
  reflect.getMetadata = lookup;
  reflect.hasMetadata = (key: unknown, target: object, property?: string | symbol): boolean =>
    lookup(key, target, property) !== undefined;
}

export {};
