/**
 * Constraints as JSON, and the registry that rebuilds them by name.
 *
 * A constraint is saved as its registry name plus its parameters:
 * `{ "name": "positive" }`, `{ "name": "interval", "lower": 0, "upper": 2 }`,
 * `{ "name": "independent", "base": { "name": "positive" }, "reinterpretedBatchNdims": 1 }`.
 * A tensor bound is `{ "shape": [2], "values": [0, 1] }`. Every member of
 * `dist.constraints` is registered: the constraint values by identity (and by
 * class when the class takes no parameters), the constraint constructors as
 * parameterized kinds. Other code registers its own with
 * `constraintCodecs.register(...)`.
 *
 * @module
 */
import * as t from "io-ts/lib/index.js";
import type { Constraint } from "../distributions/constraint.js";
import {
  constraints, GreaterThan, GreaterThanEq, IndependentConstraint, IntegerGreaterThanEq, IntegerInterval, Interval, LessThan,
  type Bound,
} from "../distributions/constraints.js";
import { MultinomialConstraint } from "../distributions/vector-constraints.js";
import type { Ops } from "../tensor/ops.js";
import { describeJSON } from "./report.js";
import { flattenNested, nestFlat, NonNegativeInteger, TensorJSONC, type TensorJSON } from "./tensor-values.js";

/** A bound as JSON: a finite number or a tensor. */
export type BoundJSON = number | TensorJSON;

/** A constraint as JSON: its registry name and its parameters. */
export interface ConstraintJSON {
  /** The registry name ("positive", "interval"). */
  readonly name: string;
  /** The parameters, by field name. */
  readonly [field: string]: string | BoundJSON | ConstraintJSON;
}

/** What a parameter of a constraint is: a bound, a nested constraint, or a count. */
export type ConstraintFieldType = "bound" | "constraint" | "count";

/** The decoded value of a field of type `F`. */
export type ConstraintFieldValue<F extends ConstraintFieldType> = F extends "bound" ? Bound : F extends "constraint" ? Constraint : number;

/** The parameters of a constraint kind with fields `Fs`. */
export type ConstraintArgs<Fs extends Record<string, ConstraintFieldType>> = { readonly [K in keyof Fs]: ConstraintFieldValue<Fs[K]> };

/**
 * One kind of constraint the registry can save and rebuild.
 *
 * @example
 * ```ts
 * constraintCodecs.register({
 *   name: "greaterThan",
 *   fields: { lower: "bound" },
 *   match: (c) => (c instanceof GreaterThan ? { lower: c.lower } : undefined),
 *   build: ({ lower }) => constraints.greaterThan(lower),
 * });
 * ```
 */
export interface ConstraintKind<Fs extends Record<string, ConstraintFieldType> = Record<string, ConstraintFieldType>> {
  /** The name saved in JSON. */
  readonly name: string;
  /** The parameters and their types. */
  readonly fields: Fs;
  /** The parameters of `c` when it is of this kind, else `undefined`. */
  match(c: Constraint): ConstraintArgs<Fs> | undefined;
  /** The constraint with these parameters. */
  build(args: ConstraintArgs<Fs>): Constraint;
}

/** The error thrown when a constraint cannot be saved: no registered kind matches it. */
export class ConstraintEncodeError extends Error {
  /** Makes the error for constraint `constraint`. */
  constructor(
    /** The constraint's name. */
    readonly constraint: string,
    reason: string,
  ) {
    super(`cannot save constraint ${constraint}: ${reason}`);
    this.name = "ConstraintEncodeError";
  }
}

/** Whether `c` is an instance of exactly the class whose prototype is `proto` (not a subclass). */
function hasPrototype(c: Constraint, proto: object): boolean {
  return Object.getPrototypeOf(c) === proto;
}

/** A bound as JSON. */
function encodeBound(ops: Ops, owner: Constraint, b: Bound): BoundJSON {
  if (typeof b === "number") {
    if (!Number.isFinite(b)) throw new ConstraintEncodeError(owner.name, `the bound ${b} is not finite (JSON holds finite numbers only)`);
    return b;
  }
  const shape = [...ops.shape(b)];
  const flat = ops.toFlat(b);
  if (!flat.every(Number.isFinite)) throw new ConstraintEncodeError(owner.name, "a tensor bound has non-finite values");
  return { shape, values: nestFlat(flat, shape) };
}

/** Registered constraint kinds: encode, validate (io-ts) and rebuild constraints by name. */
export class ConstraintCodecRegistry {
  private readonly kinds = new Map<string, ConstraintKind>();
  private readonly singletons = new Map<Constraint, string>();

  /** The io-ts codec of {@link ConstraintJSON} for the kinds registered (now or later). */
  readonly codec: t.Type<ConstraintJSON, ConstraintJSON, unknown> = new t.Type<ConstraintJSON, ConstraintJSON, unknown>(
    "a constraint { name, ... }",
    (u): u is ConstraintJSON => this.codec.validate(u, [])._tag === "Right",
    (u, c) => this.validate(u, c),
    t.identity,
  );

  /** Registers `kind` (replacing one of the same name). */
  register<Fs extends Record<string, ConstraintFieldType>>(kind: ConstraintKind<Fs>): void {
    this.kinds.set(kind.name, kind as unknown as ConstraintKind);
  }

  /**
   * Registers the constraint value `instance` as `name`: saved when a param's
   * constraint is that very value (or, with `byClass`, any instance of its
   * exact class), rebuilt as that value.
   */
  registerValue(name: string, instance: Constraint, byClass: boolean): void {
    this.singletons.set(instance, name);
    const proto = Object.getPrototypeOf(instance) as object;
    this.register({ name, fields: {}, match: (c) => (byClass && hasPrototype(c, proto) ? {} : undefined), build: () => instance });
  }

  /** The registered names, sorted. */
  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  /** `c` as JSON, in the backend's `ops` (for tensor bounds). */
  encode(c: Constraint, ops: Ops): ConstraintJSON {
    const singleton = this.singletons.get(c);
    if (singleton !== undefined) return { name: singleton };
    for (const kind of this.kinds.values()) {
      const args = kind.match(c);
      if (args === undefined) continue;
      const json: Record<string, string | BoundJSON | ConstraintJSON> = { name: kind.name };
      for (const [field, type] of Object.entries(kind.fields)) {
        const v = args[field]!;
        json[field] = type === "bound" ? encodeBound(ops, c, v as Bound) : type === "constraint" ? this.encode(v as Constraint, ops) : (v as number);
      }
      return json as ConstraintJSON;
    }
    throw new ConstraintEncodeError(c.name,
      `no codec is registered for its class (known constraints: ${this.names().join(", ")}); register one with constraintCodecs.register`);
  }

  /** The constraint `json` describes (already validated by {@link codec}); tensor bounds are made with `ops`. */
  build(json: ConstraintJSON, ops: Ops): Constraint {
    const kind = this.kinds.get(json.name)!;
    const args: Record<string, Bound | Constraint | number> = {};
    for (const [field, type] of Object.entries(kind.fields)) {
      const v = json[field];
      if (type === "constraint") args[field] = this.build(v as ConstraintJSON, ops);
      else if (type === "bound" && typeof v === "object") {
        const { shape, values } = v as TensorJSON;
        args[field] = ops.keep(ops.fromFlat(flattenNested(values), shape));
      } else args[field] = v as number;
    }
    return kind.build(args);
  }

  private validate(u: unknown, c: t.Context): t.Validation<ConstraintJSON> {
    if (typeof u !== "object" || u === null || Array.isArray(u) || typeof (u as { name?: unknown }).name !== "string") {
      return t.failure(u, c, `expected a constraint { name, ... }, got ${describeJSON(u)}`);
    }
    const o = u as Record<string, unknown>;
    const kind = this.kinds.get(o.name as string);
    if (kind === undefined) {
      return t.failure(o.name, t.appendContext(c, "name", t.string, o.name),
        `unknown constraint ${JSON.stringify(o.name)}; known constraints: ${this.names().join(", ")}`);
    }
    const errors: t.Errors = [];
    for (const [field, type] of Object.entries(kind.fields)) {
      const v = o[field];
      const codec = type === "bound" ? BoundC : type === "constraint" ? this.codec : NonNegativeInteger;
      const r = codec.validate(v, t.appendContext(c, field, codec, v));
      if (r._tag === "Left") errors.push(...r.left);
    }
    return errors.length > 0 ? t.failures(errors) : t.success(o as ConstraintJSON);
  }
}

/** A finite number or a tensor `{ shape, values }`. */
const BoundC = new t.Type<BoundJSON, BoundJSON, unknown>(
  "a finite number or a tensor { shape, values }",
  (u): u is BoundJSON => (typeof u === "number" && Number.isFinite(u)) || TensorJSONC.is(u),
  (u, c) => {
    if (typeof u === "number") return Number.isFinite(u) ? t.success(u) : t.failure(u, c, `expected a finite number, got ${u}`);
    return TensorJSONC.validate(u, c);
  },
  t.identity,
);

/** Registers the parameterized kinds: one per constructor of `dist.constraints`, plus `integerGreaterThanEq`. */
function registerConstructors(r: ConstraintCodecRegistry): void {
  r.register({
    name: "greaterThan", fields: { lower: "bound" },
    match: (c) => (hasPrototype(c, GreaterThan.prototype) ? { lower: (c as GreaterThan).lower } : undefined),
    build: ({ lower }) => constraints.greaterThan(lower),
  });
  r.register({
    name: "greaterThanEq", fields: { lower: "bound" },
    match: (c) => (hasPrototype(c, GreaterThanEq.prototype) ? { lower: (c as GreaterThanEq).lower } : undefined),
    build: ({ lower }) => constraints.greaterThanEq(lower),
  });
  r.register({
    name: "lessThan", fields: { upper: "bound" },
    match: (c) => (hasPrototype(c, LessThan.prototype) ? { upper: (c as LessThan).upper } : undefined),
    build: ({ upper }) => constraints.lessThan(upper),
  });
  r.register({
    name: "interval", fields: { lower: "bound", upper: "bound" },
    match: (c) => (hasPrototype(c, Interval.prototype) ? { lower: (c as Interval).lower, upper: (c as Interval).upper } : undefined),
    build: ({ lower, upper }) => constraints.interval(lower, upper),
  });
  r.register({
    name: "integerInterval", fields: { lower: "bound", upper: "bound" },
    match: (c) => (hasPrototype(c, IntegerInterval.prototype) ? { lower: (c as IntegerInterval).lower, upper: (c as IntegerInterval).upper } : undefined),
    build: ({ lower, upper }) => constraints.integerInterval(lower, upper),
  });
  r.register({
    name: "integerGreaterThanEq", fields: { lower: "bound" },
    match: (c) => (hasPrototype(c, IntegerGreaterThanEq.prototype) ? { lower: (c as IntegerGreaterThanEq).lower } : undefined),
    build: ({ lower }) => new IntegerGreaterThanEq(lower),
  });
  r.register({
    name: "independent", fields: { base: "constraint", reinterpretedBatchNdims: "count" },
    match: (c) => {
      if (!hasPrototype(c, IndependentConstraint.prototype)) return undefined;
      const ic = c as IndependentConstraint;
      return { base: ic.base, reinterpretedBatchNdims: ic.reinterpretedBatchNdims };
    },
    build: ({ base, reinterpretedBatchNdims }) => constraints.independent(base, reinterpretedBatchNdims),
  });
  r.register({
    name: "multinomial", fields: { totalCount: "bound" },
    match: (c) => (hasPrototype(c, MultinomialConstraint.prototype) ? { totalCount: (c as MultinomialConstraint).totalCount } : undefined),
    build: ({ totalCount }) => constraints.multinomial(totalCount),
  });
}

/**
 * Makes a registry of every constraint in `dist.constraints`. The constraint
 * values are registered by identity; a value whose class no parameterized
 * kind claims (`simplex`, `orderedVector`, ...) also matches other instances
 * of that class.
 */
export function makeConstraintCodecRegistry(): ConstraintCodecRegistry {
  const r = new ConstraintCodecRegistry();
  registerConstructors(r);
  const claimed = new Set<object>([
    GreaterThan, GreaterThanEq, LessThan, Interval, IntegerInterval, IntegerGreaterThanEq, IndependentConstraint, MultinomialConstraint,
  ].map((cls) => cls.prototype));
  for (const [name, value] of Object.entries(constraints) as [string, unknown][]) {
    if (typeof value !== "object" || value === null) continue;
    const instance = value as Constraint;
    r.registerValue(name, instance, !claimed.has(Object.getPrototypeOf(instance) as object));
  }
  return r;
}

/**
 * The default registry: every constraint of `dist.constraints`.
 *
 * @example
 * ```ts
 * const json = constraintCodecs.encode(constraints.interval(0, 2), ops); // { name: "interval", lower: 0, upper: 2 }
 * const c = constraintCodecs.build(json, ops);                           // interval(0, 2)
 * ```
 */
export const constraintCodecs: ConstraintCodecRegistry = makeConstraintCodecRegistry();
