/**
 * Registration of the standard backends: `pyro` (alias `tfjs`, the default),
 * `minipyro`, `numpy` (float64 ndarray with its own autodiff) and `funsor`
 * (lazy terms with named dims over float64 ndarray).
 *
 * @module
 */
import { MODULE_NAMES, type Backend } from "../backends/backend.js";
import { minipyroModules, setMinipyroEnvironment } from "../backends/minipyro/index.js";
import { makeFunsorBackend } from "../backends/funsor.js";
import { makeStandardBackend, type StandardBackend } from "../backends/standard.js";
import type { Ops } from "../tensor/ops.js";
import { ndarrayOps } from "../tensor/ndarray/index.js";
import { tfjsOps } from "../tensor/tfjs/index.js";
import { backendScope } from "./env.js";
import { registerBackend, type BackendSpec } from "./registry.js";

/** The six modules of a standard backend, without its runtime. */
export function modulesOf(backend: StandardBackend): Backend {
  const { pyro, distributions, handlers, infer, optim, ops } = backend;
  return { pyro, distributions, handlers, infer, optim, ops };
}

/** A specification taking every module from backend `alias`. */
export function aliasOf(alias: string): BackendSpec {
  return Object.fromEntries(MODULE_NAMES.map((m) => [m, alias])) as BackendSpec;
}

/** The `pyro` backend: every generic layer over tfjs (float32). */
export const pyroTfjsBackend: StandardBackend = makeStandardBackend("pyro", tfjsOps as unknown as Ops);

registerBackend("pyro", modulesOf(pyroTfjsBackend));
pyroTfjsBackend.runtime.setEnvironment(backendScope("pyro"));
registerBackend("tfjs", aliasOf("pyro"));
registerBackend("minipyro", { ...minipyroModules, distributions: "pyro", ops: "pyro" });
setMinipyroEnvironment(backendScope("minipyro"));

/** The `numpy` backend: every generic layer over float64 ndarrays (NumPyro's counterpart). */
export const numpyBackend: StandardBackend = makeStandardBackend("numpy", ndarrayOps as unknown as Ops);

registerBackend("numpy", modulesOf(numpyBackend));
numpyBackend.runtime.setEnvironment(backendScope("numpy"));

/** The `funsor` backend: every generic layer over lazy terms with named dims, evaluated by float64 ndarrays. */
export const funsorBackend: StandardBackend = makeFunsorBackend("funsor", ndarrayOps as unknown as Ops);

registerBackend("funsor", modulesOf(funsorBackend));
funsorBackend.runtime.setEnvironment(backendScope("funsor"));
