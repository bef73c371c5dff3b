/**
 * @module Capabilities components offer each other by name (e.g. the history store's query interface).
 */

/** Well-known capability names and their interfaces are declared by whoever provides them. */
export class Capabilities {
  readonly #items = new Map<string, { owner: string; impl: unknown }>();

  /** Offers `impl` under `name` on behalf of `owner`; a second provider of the same name is an error. */
  provide(name: string, impl: unknown, owner: string): void {
    const existing = this.#items.get(name);
    if (existing && existing.owner !== owner) {
      throw new TypeError(`capability "${name}" is already provided by ${existing.owner}`);
    }
    this.#items.set(name, { owner, impl });
  }

  /** The provider of `name`, if any. */
  lookup<T>(name: string): T | undefined {
    return this.#items.get(name)?.impl as T | undefined;
  }

  /** Withdraws everything `owner` provided (it stopped). */
  withdraw(owner: string): void {
    for (const [name, item] of this.#items) if (item.owner === owner) this.#items.delete(name);
  }
}
