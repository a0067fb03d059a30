package decimerbeam.transforms;

import decimerbeam.inference.EngineSettings;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import java.io.Serializable;

/**
 * Everything the transforms need at run time, serialised into the DoFns (not into pipeline
 * options, so secrets do not travel as displayable options).
 *
 * @param modelLocation model id or prepared-model directory
 * @param modelCache cache root on the workers ("" = the default)
 */
public record Settings(
    AzureAccess azure,
    Location outputRoot,
    boolean reprocess,
    boolean retryFailures,
    String modelLocation,
    String modelCache,
    int intraOpThreads,
    int interOpThreads,
    long maxPixels,
    double memoryFraction,
    int maxConcurrentInferences,
    long imageTimeoutSeconds,
    int listingParallelism) implements Serializable {

  /**
   * The engine's settings in a JVM that runs {@code concurrentInferences} at once: inter-op
   * threads 0 means one per concurrent inference, because the shared session runs concurrent
   * calls on that pool and fewer threads than calls serialise them (BENCHMARKS.md).
   */
  public EngineSettings engineSettings(int concurrentInferences) {
    return new EngineSettings(intraOpThreads,
        interOpThreads == 0 ? concurrentInferences : interOpThreads, maxPixels);
  }
}
