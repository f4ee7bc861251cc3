/**
 * Repetition that is one piece of construct code for both worlds: a resource per item (or index) when
 * the list (or count) is known at synth, and one resource with `for_each` (or `count`) when it is only
 * known at plan, as in a published module. Logical ids stay readable in both: `method-POST-chat` one by
 * one, `method["POST /chat"]` with for_each.
 */
import {
  Token,
  TerraformCount,
  TerraformIterator,
  type IResolvable,
  type ITerraformIterator,
  type TerraformDataSource,
  type TerraformResource,
} from 'cdktf';
import { hcl, known, raw, type Bool } from './expr';
import { itemProxy, type ResolvedShape } from './inputs';

/** What one repetition of a resource gets: spread `meta` into its config, name it with `id(...)`. */
export interface Repetition {
  /** `{}` one by one; `{ forEach }` or `{ count }` at plan. */
  readonly meta: { readonly forEach?: ITerraformIterator; readonly count?: TerraformCount };
  /**
   * The construct id: `<base>-<suffix>[-<after>]` one by one (suffix from the item or index), and
   * `<base>[-<after>]` at plan, or `planned` when given (where that would clash with another id).
   */
  id(base: string, after?: string, planned?: string): string;
}

/** One item of a list, or the `each.value` of all of them. */
export interface Item<T> extends Repetition {
  readonly item: T;
  /** The item's key: a string one by one, `each.key` at plan. */
  readonly key: string;
  /**
   * Resources only for the items where `condition` holds: a JavaScript `if` one by one, a filtered
   * `for_each` at plan.
   */
  when(condition: (item: T) => Bool, body: (each: Item<T>) => void): void;
}

export interface EachOptions<P, T> {
  /** The items' shape, to read an item given at plan. */
  readonly shape: ResolvedShape<P, T>;
  /** A unique key per item (a Terraform expression at plan): the for_each key. */
  readonly key: (item: T) => string;
  /** The id suffix of an item's resources one by one (construct-id safe). */
  readonly id: (item: T) => string;
}

/**
 * Runs `body` once per item of a known list, or once with `for_each` over a list given at plan. Items
 * arrive with their defaults applied (`inputs.resolve` does it; at plan, the variable's type does).
 */
export function forEachItem<P, T>(items: readonly P[], o: EachOptions<P, T>, body: (each: Item<T>) => void): void {
  if (known(items)) {
    for (const item of items) body(literalItem(item as unknown as T, o));
    return;
  }
  const source = (condition?: (item: T) => Bool) => {
    const v = itemProxy(o.shape, 'val') as unknown as T;
    const filter = condition ? hcl` if ${condition(v)}` : raw('');
    return TerraformIterator.fromMap(Token.asAnyMap(hcl`{ for val in ${items} : ${o.key(v)} => val${filter} }`));
  };
  body(planItem(o, source, undefined));
}

function literalItem<P, T>(item: T, o: EachOptions<P, T>): Item<T> {
  const suffix = o.id(item);
  return {
    item,
    key: o.key(item),
    meta: {},
    id: (base, after) => [base, suffix, after].filter(Boolean).join('-'),
    when(condition, body) {
      const ok = condition(item);
      if (ok === true) body(this);
      else if (ok !== false) throw new Error(`a condition on a known item must be known, got ${String(ok)}`);
    },
  };
}

function planItem<P, T>(
  o: EachOptions<P, T>,
  source: (condition?: (item: T) => Bool) => ITerraformIterator,
  condition: ((item: T) => Bool) | undefined,
): Item<T> {
  return {
    item: itemProxy(o.shape, 'each.value') as unknown as T,
    key: Token.asString(raw('each.key')),
    meta: { forEach: source(condition) },
    id: (base, after, planned) => planned ?? [base, after].filter(Boolean).join('-'),
    when(next, body) {
      const both = condition ? (item: T) => hcl`${condition(item)} && ${next(item)}` : next;
      body(planItem(o, source, both));
    },
  };
}

/** One index of a count, or `count.index` of all of them. */
export interface Index extends Repetition {
  /** A number one by one, `count.index` at plan. */
  readonly index: number;
  /** The index as text, for names and tags (a number token does not print inside a string). */
  readonly label: string;
}

/** Runs `body` `count` times when the count is known, or once with `count` when it is given at plan. */
export function repeat<R extends TerraformResource>(count: number, body: (at: Index) => R): Repeated<R> {
  if (known(count)) {
    const resources: R[] = [];
    for (let i = 0; i < count; i++) {
      resources.push(
        body({
          index: i,
          label: String(i),
          meta: {},
          id: (base, after) => [base, String(i), after].filter(Boolean).join('-'),
        }),
      );
    }
    return new Repeated(resources, false);
  }
  const index = Token.asNumber(raw('count.index'));
  const resource = body({
    index,
    label: Token.asString(raw('count.index')),
    meta: { count: TerraformCount.of(count) },
    id: (base, after, planned) => planned ?? [base, after].filter(Boolean).join('-'),
  });
  return new Repeated([resource], true);
}

/** Resources made by {@link repeat}: read one by index, or all of them. */
export class Repeated<R extends TerraformResource> {
  constructor(
    /** One by one: every resource. At plan: the one counted resource. */
    public readonly resources: readonly R[],
    private readonly counted: boolean,
  ) {}

  /** An attribute of the resource at `index` (a number, or an expression at plan). */
  public attr(index: number, name: string): string {
    if (!this.counted) return (this.resources[index] as TerraformResource).getStringAttribute(name);
    return Token.asString(hcl`${(this.resources[0] as TerraformResource).fqn}[${index}].${raw(name)}`);
  }

  /** An attribute of every resource, as a list. */
  public all(name: string): string[] {
    if (!this.counted) return this.resources.map((r) => r.getStringAttribute(name));
    return Token.asList(hcl`${(this.resources[0] as TerraformResource).fqn}[*].${raw(name)}`);
  }
}

/**
 * An attribute of the resource made for the same item or index: the resource itself one by one,
 * `<address>[each.key]` / `<address>[count.index]` at plan.
 */
export function sibling(resource: TerraformResource | TerraformDataSource, name: string): string {
  if (resource.forEach) return Token.asString(hcl`${resource.fqn}[each.key].${raw(name)}`);
  if (resource.count !== undefined) return Token.asString(hcl`${resource.fqn}[count.index].${raw(name)}`);
  return resource.getStringAttribute(name);
}

/** An attribute of every instance of a resource made by {@link forEachItem}, as a list. */
export function everyInstance(resources: readonly TerraformResource[], name: string): string[] {
  return resources.flatMap((r) =>
    r.forEach ? Token.asList(hcl`[for x in ${r.fqn} : x.${raw(name)}]`) : [r.getStringAttribute(name)],
  );
}

/** `count = condition ? 1 : 0`. */
export function countOf(condition: Bool): TerraformCount {
  return TerraformCount.of(Token.asNumber(hcl`${condition} ? 1 : 0`));
}

/**
 * Meta-arguments of a resource that exists only when `condition` holds: `{}` when it holds at synth,
 * `{ count = condition ? 1 : 0 }` when only a plan knows, and undefined when it is false (do not create it).
 */
export function onlyIf(condition: Bool): { readonly count?: TerraformCount } | undefined {
  if (condition === false) return undefined;
  if (condition === true) return {};
  return { count: countOf(condition) };
}

/**
 * An attribute of a resource made with {@link onlyIf}: the attribute, or `one(<address>[*].<name>)`
 * (null when it does not exist) at plan.
 */
export function optionalAttr(resource: TerraformResource, name: string): string {
  if (resource.count === undefined) return resource.getStringAttribute(name);
  return Token.asString(hcl`one(${resource.fqn}[*].${raw(name)})`);
}

/** One string of a list, or `each.key` of all of them. */
export interface Key extends Repetition {
  /** The string one by one, `each.key` at plan. */
  readonly key: string;
}

/**
 * Runs `body` once per string of a known list (its resources named with `id(key)`), or once with
 * `for_each` over the list as a set when it is only known at plan.
 */
export function forEachKey(keys: readonly string[], id: (key: string) => string, body: (at: Key) => void): void {
  if (known(keys)) {
    for (const key of keys) {
      const suffix = id(key);
      body({ key, meta: {}, id: (base, after) => [base, suffix, after].filter(Boolean).join('-') });
    }
    return;
  }
  body({
    key: Token.asString(raw('each.key')),
    meta: { forEach: TerraformIterator.fromList(keys as string[]) },
    id: (base, after, planned) => planned ?? [base, after].filter(Boolean).join('-'),
  });
}

/** `items.map(f)` for a known list; `[for val in items : f(val)]` when the list is given at plan. */
export function mapItems<P, T, R>(items: readonly P[], shape: ResolvedShape<P, T>, f: (item: T) => R): R[] {
  if (known(items)) return (items as unknown as T[]).map(f);
  return Token.asList(hcl`[for val in ${items} : ${f(itemProxy(shape, 'val') as unknown as T)}]`) as unknown as R[];
}

/** Whether some item meets `condition`: a boolean for a known list, a Terraform condition at plan. */
export function someItem<P, T>(items: readonly P[], shape: ResolvedShape<P, T>, condition: (item: T) => Bool): Bool {
  if (known(items)) {
    return (items as unknown as T[]).some((item) => {
      const ok = condition(item);
      if (typeof ok !== 'boolean') throw new Error(`a condition on a known item must be known, got ${String(ok)}`);
      return ok;
    });
  }
  return hcl`length([for val in ${items} : val if ${condition(itemProxy(shape, 'val') as unknown as T)}]) > 0`;
}

/**
 * Every instance of `resources` as whole objects, in one list: what a hash of their arguments reads
 * (`values(<address>)` for a for_each resource, `<address>` for a counted one).
 */
export function wholeObjects(resources: readonly (TerraformResource | undefined)[]): IResolvable {
  const parts = resources
    .filter((r): r is TerraformResource => r !== undefined)
    .map((r): unknown => (r.forEach ? hcl`values(${r.fqn})` : r.fqn));
  return hcl`${parts}`;
}
