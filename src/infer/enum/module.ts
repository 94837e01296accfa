/**
 * The enumeration members of the `infer` module (`TraceEnumELBO` itself is
 * with the other ELBOs in `elbo/module.ts`).
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import { inferDiscrete } from "../discrete.js";
import { configEnumerate } from "./config-enumerate.js";

/** Exact enumeration of discrete sites: marking sites, and their posterior. */
export interface EnumModule {
  /** Marks enumerable sites for enumeration (Pyro's `config_enumerate`). */
  readonly configEnumerate: typeof configEnumerate;
  /** MAP values or posterior samples of enumerated sites (Pyro's `infer_discrete`). */
  readonly inferDiscrete: typeof inferDiscrete;
}

/** The enumeration members the standard backends provide (`runtime` is unused: they are combinators). */
export function makeEnumModule(_runtime: Runtime): Partial<EnumModule> {
  return { configEnumerate, inferDiscrete };
}
