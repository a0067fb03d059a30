package decimerbeam.pipeline;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DirectRunner: which options name it, and its own settings. The Flink job jar leaves the
 * DirectRunner out, so the runner is recognised by its class name, and only the methods that set
 * its options (called on the DirectRunner alone) load its classes.
 */
final class DirectRunnerOptions {

  private static final Logger LOG = LoggerFactory.getLogger(DirectRunnerOptions.class);

  /** {@code org.apache.beam.runners.direct.DirectRunner}, as a name that loads nothing. */
  static final String RUNNER_CLASS = "org.apache.beam.runners.direct.DirectRunner";

  private DirectRunnerOptions() {}

  /** Whether the options run on the DirectRunner. */
  static boolean runsOn(PipelineOptions o) {
    return o.getRunner() != null && o.getRunner().getName().equals(RUNNER_CLASS);
  }

  /** Has {@code run()} return at once, so progress can be polled while the pipeline works. */
  static void returnFromRunAtOnce(PipelineOptions o) {
    o.as(DirectOptions.class).setBlockOnRun(false);
  }

  /** At least {@code threads} DirectRunner threads; a larger --targetParallelism is kept. */
  static void atLeastThreads(PipelineOptions o, int threads, int imagesInFlight) {
    DirectOptions direct = o.as(DirectOptions.class);
    if (direct.getTargetParallelism() < threads) {
      LOG.info("DirectRunner threads raised from {} to {} for {} images in flight",
          direct.getTargetParallelism(), threads, imagesInFlight);
      direct.setTargetParallelism(threads);
    }
  }
}
