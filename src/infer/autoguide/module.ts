/**
 * The autoguide and Predictive members of the `infer` module.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";

/** Autoguides (`infer.autoguide.AutoNormal`, ...) and `infer.Predictive`. */
export interface AutoguideModule {}

/** The autoguide members bound to `runtime` (those implemented so far). */
export function makeAutoguideModule(_runtime: Runtime): Partial<AutoguideModule> {
  return {};
}
