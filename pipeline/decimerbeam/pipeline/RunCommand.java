package decimerbeam.pipeline;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** {@code run}: parses options, builds the pipeline, runs it and reports progress. */
public final class RunCommand {

  private RunCommand() {}

  static int run(String[] args) throws Exception {
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(DecimerOptions.class);
    PipelineResult.State state = run(options);
    return state == PipelineResult.State.DONE ? 0 : 1;
  }

  /** Runs to completion; on the DirectRunner prints progress while it runs. */
  public static PipelineResult.State run(DecimerOptions options) throws Exception {
    long start = System.currentTimeMillis();
    boolean direct = options.getRunner() == DirectRunner.class;
    if (direct) {
      // Return from run() at once so progress can be polled while the pipeline works.
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    Pipeline pipeline = DecimerPipeline.build(options, start);
    PipelineResult result = pipeline.run();
    return new ProgressReporter(result, options.getProgressInterval(), start).awaitCompletion();
  }
}
