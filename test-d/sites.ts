// Type tests: these lines must compile, and each `@ts-expect-error` line must
// NOT compile (tsc fails on an unused @ts-expect-error). Run by `npm run test:types`.
import { pipe } from "fp-ts/lib/function.js";
import { P, dist, handlers, infer, optim, pyro, type ModelSites, type Tensor } from "../src/index.js";

const model = pyro.model(function* (data: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
  return yield* pyro.plate("data", 10, function* () {
    return yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
  });
});

// The model's type records its sites, including those inside plates.
type S = ModelSites<typeof model>;
export const siteNames: (keyof S)[] = ["loc", "obs"];
// @ts-expect-error "lok" is not a site of the model
export const notASite: keyof S = "lok";

declare const y: Tensor;

// condition: known sites with tensor-like values compile...
export const ok1 = handlers.condition(model, { obs: y });
export const ok2 = handlers.condition(model, { loc: 0.5, obs: [1, 2, 3] });
// ...a misspelled site does not...
// @ts-expect-error "obz" is not a site of the model
export const bad1 = handlers.condition(model, { obz: y });
// ...nor does a value that is not tensor-like.
// @ts-expect-error a string is not a tensor value
export const bad2 = handlers.condition(model, { obs: "x" });

// Data-last condition in a pipe, checked the same way.
export const piped = pipe(model, handlers.condition({ obs: y }), handlers.trace);
// @ts-expect-error "obz" is not a site of the model
export const pipedBad = pipe(model, handlers.condition({ obz: y }));

// SVI: a guide whose latent sites the model has compiles...
const guide = pyro.model(function* (_data: Tensor) {
  const m = yield* pyro.param("m", 0);
  yield* pyro.sample("loc", dist.Normal(m, 1));
});
export const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
// ...a guide with a site the model lacks does not.
const badGuide = pyro.model(function* (_data: Tensor) {
  yield* pyro.sample("scale", dist.Normal(0, 1));
});
// @ts-expect-error the guide samples "scale", which the model lacks
export const badSvi = new infer.SVI(model, badGuide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());

// Template site names keep their pattern; a plain string name widens to any site.
const templated = pyro.model(function* (n: number) {
  for (let i = 0; i < n; i++) yield* pyro.sample(`x_${i}`, dist.Normal(0, 1));
});
export const okTemplate = handlers.condition(templated, { x_3: 1 });
// @ts-expect-error "y_3" does not match `x_${number}`
export const badTemplate = handlers.condition(templated, { y_3: 1 });
const dynamic = pyro.model(function* (names: string[]) {
  for (const name of names) yield* pyro.sample(name, dist.Normal(0, 1));
});
type DynamicSites = ModelSites<typeof dynamic>;
export const anyName: DynamicSites = { whatever: y } as Record<string, Tensor>;
export const okDynamic = handlers.condition(dynamic, { anything: 1 });

// Programs compose with the fp-ts pipeable API and keep their site records.
const both = pipe(
  P.Do,
  P.bind("a", () => pyro.sample("a", dist.Normal(0, 1))),
  P.bind("b", ({ a }) => pyro.sample("b", dist.Normal(a, 1))),
);
type BothSites = typeof both extends import("../src/index.js").Program<unknown, infer X> ? X : never;
export const bothNames: (keyof BothSites)[] = ["a", "b"];
// @ts-expect-error "c" is not a site of the program
export const bothBad: keyof BothSites = "c";

// scope prefixes the site record's names; condition then needs the prefixed names.
const scoped = handlers.scope(model, { prefix: "a" });
export const okScoped = handlers.condition(scoped, { "a/obs": y });
// @ts-expect-error the scoped model's site is "a/obs", not "obs"
export const badScoped = handlers.condition(scoped, { obs: y });

// lift adds the lifted params to the site record.
const withParam = pyro.model(function* () {
  const w = yield* pyro.param("w", 0);
  return yield* pyro.sample("z", dist.Normal(w, 1));
});
const lifted = handlers.lift(withParam, { prior: { w: dist.Normal(0, 1) } });
export const okLifted = handlers.condition(lifted, { w: 1, z: 0 });
// @ts-expect-error "v" is neither a sample site nor a lifted param
export const badLifted = handlers.condition(lifted, { v: 1 });
