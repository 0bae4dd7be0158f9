/** 0.5 / ln 2, the limit of HyperLogLog's α as the register count grows. */
const alphaInfinity = 0.7213475204444817; // the double nearest Redis's HLL_ALPHA_INF

/** Ertl's σ(x) (arXiv:1702.01284), as Redis computes it; converges within 64 steps. */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let square = x;
  let weight = 1;
  let sum = x;
  for (let step = 0; step < 1100; step++) {
    square *= square;
    const previous = sum;
    sum += square * weight;
    weight += weight;
    if (previous === sum) break;
  }
  return sum;
}

/** Ertl's τ(x) (arXiv:1702.01284), as Redis computes it; converges within 64 steps. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let root = x;
  let weight = 1;
  let sum = 1 - x;
  for (let step = 0; step < 1100; step++) {
    root = Math.sqrt(root);
    const previous = sum;
    weight *= 0.5;
    const complement = 1 - root;
    sum -= complement * complement * weight;
    if (previous === sum) break;
  }
  return sum / 3;
}

/**
 * Ertl's improved raw estimator, step for step as Redis's `hllCount` (Redis ≥ 5)
 * computes it, rounded as Redis rounds (`llroundl`: half away from zero).
 *
 * @param histogram - `histogram[r]` = registers holding rank r, for r in 0..64−p+1
 * @param precision - p, with 2^p registers
 */
export function ertlEstimate(histogram: ArrayLike<number>, precision: number): number {
  const registerCount = 2 ** precision;
  const maxZeros = 64 - precision;
  let z = registerCount * tau((registerCount - histogram[maxZeros + 1]) / registerCount);
  for (let rank = maxZeros; rank >= 1; rank--) {
    z += histogram[rank];
    z *= 0.5;
  }
  z += registerCount * sigma(histogram[0] / registerCount);
  return Math.round((alphaInfinity * registerCount * registerCount) / z);
}
