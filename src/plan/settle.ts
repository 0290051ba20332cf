/**
 * Replaces a getter that builds a value on first read (a plan's flows and hosts, an opening's flows) by that value,
 * at the same place among the keys: JSON, spreading and deep equality then see an ordinary property. An object its
 * caller froze cannot keep the value, and builds it again on each read.
 */
export function settle<T>(o: object, key: string, value: T): T {
  if (Object.isExtensible(o)) Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}
