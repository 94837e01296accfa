/**
 * Random small models for property-based tests (fast-check): a model is a
 * plain-data spec — sites in three blocks (no plate; plate "a" at dim −1;
 * plate "b" at dim −2 around plate "c" at dim −1), each with a distribution
 * family, float32 parameters (scalar or batched along the plates), observed
 * or latent — plus, with some probability, one deliberate mistake (a
 * parameter outside its constraint, a mis-shaped observation, a duplicate
 * site name, an observation outside the support, a parameter whose batch
 * shape contradicts its plate). `buildModel` turns a spec into a model that
 * runs on any backend.
 *
 * @module
 */
import fc from "fast-check";
import { dist, ops, pyro, type Tensor } from "../../src/index.js";
import type { Distribution } from "../../src/distributions/distribution.js";

/** A family and how to draw valid parameters and values for it. */
interface Family {
  /** Parameter ranges (float32 draws in [min, max]). */
  readonly params: readonly (readonly [number, number])[];
  /** Makes the distribution from parameter tensors. */
  readonly make: (p: readonly Tensor[]) => Distribution;
  /** A valid observed value (one element). */
  readonly value: fc.Arbitrary<number>;
  /** An observed value outside the support, if the support is not all of ℝ. */
  readonly outside?: number;
  /** Which parameter must be positive (to break it). */
  readonly positiveParam?: number;
  /** A value inside the support with a finite density for every valid parameter (default 1). */
  readonly inside?: number;
}

const f32 = (min: number, max: number) => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true });

/** The families fuzzed, by name. */
export const FAMILIES: Readonly<Record<string, Family>> = {
  Normal: { params: [[-5, 5], [0.2, 5]], make: ([l, s]) => dist.Normal(l!, s!), value: f32(-10, 10), positiveParam: 1 },
  Laplace: { params: [[-5, 5], [0.2, 5]], make: ([l, s]) => dist.Laplace(l!, s!), value: f32(-10, 10), positiveParam: 1 },
  Cauchy: { params: [[-5, 5], [0.2, 5]], make: ([l, s]) => dist.Cauchy(l!, s!), value: f32(-10, 10), positiveParam: 1 },
  StudentT: { params: [[1, 10], [-5, 5], [0.2, 5]], make: ([d, l, s]) => dist.StudentT(d!, l!, s!), value: f32(-10, 10), positiveParam: 0 },
  LogNormal: { params: [[-1, 1], [0.2, 2]], make: ([l, s]) => dist.LogNormal(l!, s!), value: f32(0.05, 10), outside: -1, positiveParam: 1 },
  HalfNormal: { params: [[0.2, 5]], make: ([s]) => dist.HalfNormal(s!), value: f32(0.01, 10), outside: -1, positiveParam: 0 },
  Exponential: { params: [[0.2, 5]], make: ([r]) => dist.Exponential(r!), value: f32(0.01, 10), outside: -1, positiveParam: 0 },
  Gamma: { params: [[0.5, 5], [0.5, 5]], make: ([a, b]) => dist.Gamma(a!, b!), value: f32(0.05, 10), outside: -1, positiveParam: 0 },
  Beta: { params: [[0.5, 5], [0.5, 5]], make: ([a, b]) => dist.Beta(a!, b!), value: f32(0.02, 0.98), outside: 1.5, positiveParam: 1, inside: 0.5 },
  Uniform: { params: [[-3, -1], [1, 3]], make: ([lo, hi]) => dist.Uniform(lo!, hi!), value: f32(-0.9, 0.9), outside: 5, inside: 0.5 },
  Bernoulli: { params: [[0.05, 0.95]], make: ([p]) => dist.Bernoulli(p!), value: fc.constantFrom(0, 1), outside: 2 },
  Poisson: { params: [[0.2, 10]], make: ([r]) => dist.Poisson(r!), value: fc.integer({ min: 0, max: 20 }), outside: -1, positiveParam: 0 },
  Geometric: { params: [[0.1, 0.9]], make: ([p]) => dist.Geometric(p!), value: fc.integer({ min: 0, max: 10 }), outside: -1 },
};

/** Where a site is: outside plates, in "a", or in "c" within "b". */
export type Block = "none" | "a" | "bc";

/** One site of a fuzzed model. */
export interface SiteSpec {
  /** The site name. */
  readonly name: string;
  /** The family. */
  readonly family: string;
  /** The block. */
  readonly block: Block;
  /** Each parameter: a value, batched (one per plate element) when `batched`. */
  readonly params: readonly number[];
  /** Whether parameters are batched along the block's innermost plate. */
  readonly batched: boolean;
  /** The observed value's elements (one per element of the block's plates), or undefined when latent. */
  readonly obs: readonly number[] | undefined;
}

/** The deliberate mistakes a spec may contain. */
export type Mistake = "none" | "badParam" | "obsShape" | "duplicate" | "outsideSupport" | "paramBatch";

/** A fuzzed model: plate sizes, sites, and at most one mistake. */
export interface ModelSpec {
  /** Sizes of plates a, b, c. */
  readonly sizes: { readonly a: number; readonly b: number; readonly c: number };
  /** The sites. */
  readonly sites: readonly SiteSpec[];
  /** The mistake. */
  readonly mistake: Mistake;
}

/** The number of elements of one site in `block`. */
export function blockSize(spec: ModelSpec, block: Block): number {
  return block === "none" ? 1 : block === "a" ? spec.sizes.a : spec.sizes.b * spec.sizes.c;
}

/** The arbitrary of model specs with 1–5 sites. */
export function modelSpec(): fc.Arbitrary<ModelSpec> {
  const sizes = fc.record({ a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 3 }) });
  const mistake = fc.oneof(
    { weight: 6, arbitrary: fc.constant<Mistake>("none") },
    { weight: 1, arbitrary: fc.constantFrom<Mistake>("badParam", "obsShape", "duplicate", "outsideSupport", "paramBatch") },
  );
  return fc.tuple(sizes, mistake, fc.integer({ min: 1, max: 5 })).chain(([s, m, n]) =>
    fc
      .array(
        fc.tuple(fc.constantFrom(...Object.keys(FAMILIES)), fc.constantFrom<Block>("none", "a", "bc"), fc.boolean(), fc.boolean()),
        { minLength: n, maxLength: n },
      )
      .chain((shapes) =>
        fc.tuple(
          ...shapes.map(([family, block, batched, observed], i) => {
            const fam = FAMILIES[family]!;
            const size = block === "none" ? 1 : block === "a" ? s.a : s.b * s.c;
            const perParam = batched && block !== "none" ? (block === "a" ? s.a : s.c) : 1;
            const params = fc.tuple(...fam.params.map(([lo, hi]) => fc.array(f32(lo, hi), { minLength: perParam, maxLength: perParam })));
            const obs = observed ? fc.array(fam.value, { minLength: size, maxLength: size }) : fc.constant(undefined);
            return fc.record({
              name: fc.constant(`s${i}`),
              family: fc.constant(family),
              block: fc.constant(block),
              params: params.map((ps) => ps.flat()),
              batched: fc.constant(batched && block !== "none"),
              obs,
            });
          }),
        ),
      )
      .map((sites) => ({ sizes: s, sites, mistake: m })),
  );
}

/** The parameter tensors of `site`: scalars, or batched along the block's innermost plate. */
function paramTensors(spec: ModelSpec, site: SiteSpec, broken: boolean): Tensor[] {
  const fam = FAMILIES[site.family]!;
  const k = fam.params.length;
  const per = site.params.length / k;
  return Array.from({ length: k }, (_, j) => {
    let values = site.params.slice(j * per, (j + 1) * per);
    if (broken && j === fam.positiveParam) values = values.map(() => -1);
    if (!site.batched) return ops.tensor(values[0]!);
    return ops.tensor(values);
  });
}

/** A site's value as data: its elements and shape. */
export interface SiteValue {
  /** The elements, row-major. */
  readonly data: Float32Array | Float64Array;
  /** The shape. */
  readonly shape: readonly number[];
}

/**
 * A model running `spec`; `values` (site name → flat values) observes every
 * site at those values (to score one trace on several backends).
 */
export function buildModel(spec: ModelSpec, values?: ReadonlyMap<string, SiteValue>) {
  const first = spec.sites[0]!;
  const mistakeSite = spec.sites.find((s) => (spec.mistake === "badParam" ? FAMILIES[s.family]!.positiveParam !== undefined : spec.mistake === "outsideSupport" ? FAMILIES[s.family]!.outside !== undefined : true));
  const site = (s: SiteSpec, name: string) => {
    const broken = spec.mistake === "badParam" && s === mistakeSite;
    let p = paramTensors(spec, s, broken);
    if (spec.mistake === "paramBatch" && s === mistakeSite && s.block !== "none") {
      // Every parameter batched over one more element than the plate has.
      const n = (s.block === "a" ? spec.sizes.a : spec.sizes.c) + 1;
      p = p.map((t) => ops.tensor(new Array<number>(n).fill(ops.toFlat(t)[0]!)));
    }
    const fn = FAMILIES[s.family]!.make(p);
    const size = blockSize(spec, s.block);
    const shape = s.block === "none" ? [] : s.block === "a" ? [size] : [spec.sizes.b, spec.sizes.c];
    let obs: Tensor | undefined;
    const given = values?.get(name);
    if (given !== undefined) obs = ops.fromFlat(given.data, given.shape);
    else if (s.obs !== undefined) obs = ops.fromFlat(Float64Array.from(s.obs), shape);
    if (spec.mistake === "obsShape" && s === mistakeSite) obs = ops.full([size + 2], FAMILIES[s.family]!.inside ?? 1);
    if (spec.mistake === "outsideSupport" && s === mistakeSite) obs = ops.add(ops.zeros(shape), FAMILIES[s.family]!.outside!);
    return pyro.sample(name, fn, obs === undefined ? {} : { obs });
  };
  const name = (s: SiteSpec) => (spec.mistake === "duplicate" && s !== first && s === spec.sites[spec.sites.length - 1] ? first.name : s.name);
  const inBlock = (b: Block) => spec.sites.filter((s) => s.block === b);
  return pyro.model(function* () {
    for (const s of inBlock("none")) yield* site(s, name(s));
    if (inBlock("a").length > 0) {
      yield* pyro.plate("a", spec.sizes.a, { dim: -1 }, function* () {
        for (const s of inBlock("a")) yield* site(s, name(s));
      });
    }
    if (inBlock("bc").length > 0) {
      yield* pyro.plate("b", spec.sizes.b, { dim: -2 }, function* () {
        yield* pyro.plate("c", spec.sizes.c, { dim: -1 }, function* () {
          for (const s of inBlock("bc")) yield* site(s, name(s));
        });
      });
    }
  });
}
