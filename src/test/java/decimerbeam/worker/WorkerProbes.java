package decimerbeam.worker;

import decimerbeam.inference.SecondOpinion;

/**
 * What tests of the transforms read and set in a worker's shared resources: the gate's counters
 * and a second reader in place of a kind's own, kept out of the worker's public API.
 */
public final class WorkerProbes {

  private WorkerProbes() {}

  /** Estimated heap of the gate's calls in progress. */
  public static long heapInUse(InferenceGate gate) {
    return gate.heapInUse();
  }

  /** Calls the gate interrupted because their caller's time was up. */
  public static long cancelled(InferenceGate gate) {
    return gate.cancelled();
  }

  /**
   * While no holder has {@code kind}'s pool, the next acquire creates a pool of {@code threads}
   * reading with {@code reader} instead (null: the kind's own again).
   */
  public static void substituteSecondReader(SecondReader kind, SecondOpinion reader,
      int threads) {
    SharedSecondOpinions.substitute(kind,
        reader == null ? null : () -> new SecondReadingPool(reader, threads));
  }
}
