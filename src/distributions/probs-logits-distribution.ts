/**
 * The shared part of families parameterised by probabilities or logits
 * (Bernoulli, Binomial, Geometric, NegativeBinomial, Categorical,
 * OneHotCategorical, Multinomial): the parameterisation the user gave, with
 * the other one computed only when read.
 *
 * @module
 */
import type { Shape, Tensor } from "../tensor/types.js";
import type { DistContext } from "./context.js";
import { Distribution } from "./distribution.js";
import type { ProbsLogitsParams } from "./probs.js";

/** A distribution given by `probs` or `logits` (the other derived lazily). */
export abstract class ProbsLogitsDistribution extends Distribution {
  private readonly pl: { readonly probs: Tensor; readonly logits: Tensor };
  /** Which parameterisation was given (kept by `expand`, shown in error messages). */
  readonly kind: "probs" | "logits";

  /** Makes the distribution from validated probs/logits `p` with event shape `eventShape`. */
  protected constructor(ctx: DistContext, p: ProbsLogitsParams<string>, eventShape: Shape) {
    super(ctx, p.batchShape, eventShape);
    this.pl = p;
    this.kind = p.kind;
  }

  /** The probabilities (of success, or of each category, normalised over the last dim). */
  get probs(): Tensor {
    return this.pl.probs;
  }

  /** The log-odds of success, or the normalised logits (`log probs`) of each category. */
  get logits(): Tensor {
    return this.pl.logits;
  }
}
