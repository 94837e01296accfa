/**
 * minipyro: a small, readable reference backend.
 *
 * Like Pyro's `pyro.contrib.minipyro`, these three files are a whole probabilistic
 * programming system in a few hundred lines: an interpreter for the
 * `sample`, `param` and `plate` effects, the handlers `trace`, `replay`,
 * `block` and `seed`, a Monte Carlo ELBO, SVI, and Adam. It shares the
 * program representation, the tensor ops, the distributions, the param store
 * class and the optimizer rules with the full backend, and nothing else: its
 * semantics are written here again, on purpose, as the simplest correct
 * version, so tests can check the full `pyro` backend against it.
 *
 * What it leaves out (and throws `NotImplementedError` for): plate
 * subsampling, `deterministic`/`factor`/`subsample`, the other handlers and
 * ELBOs, MCMC.
 *
 * @module
 */
import { model } from "../../program/gen.js";
import type { Sites } from "../../program/sites.js";
import type { Program } from "../../program/program.js";
import { sample } from "../../primitives/sample.js";
import { param } from "../../primitives/param.js";
import { plate } from "../../primitives/plate.js";
import { PRNGKey } from "../../tensor/random/key.js";
import { optimFactory } from "../../optim/module.js";
import { Adam, ClippedAdam } from "../../optim/adam.js";
import type { Backend } from "../backend.js";
import { block, interpret, replay, seed, state, trace } from "./core.js";
import { JitTraceELBO, SVI, TraceELBO, TraceMeanFieldELBO } from "./infer.js";

export { setMinipyroEnvironment } from "./core.js";

/** The minipyro backend's modules (distributions and ops come from the `pyro` backend). */
export const minipyroModules = {
  pyro: {
    sample,
    param,
    plate,
    model,
    run: <A>(program: Program<A, Sites>) => interpret(program),
    getParamStore: () => state.params,
    clearParamStore: () => state.params.clear(),
    getParam: (name: string) => state.params.get(name),
    setRngSeed: (s: number) => {
      state.key = PRNGKey(s);
    },
  },
  handlers: { trace, replay, block, seed },
  infer: { SVI, TraceELBO, JitTraceELBO, TraceMeanFieldELBO },
  optim: { Adam: optimFactory(Adam), ClippedAdam: optimFactory(ClippedAdam) },
} as unknown as Pick<Backend, "pyro" | "handlers" | "infer" | "optim">;
