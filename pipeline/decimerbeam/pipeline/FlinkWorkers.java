package decimerbeam.pipeline;

import java.util.List;
import java.util.OptionalInt;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.runners.flink.FlinkExecutionEnvironments;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The parallel workers of a Flink batch job: its parallelism, one task slot (one image in
 * flight) each. The runner's classes load only where the options name the FlinkRunner.
 */
final class FlinkWorkers {

  /** {@code org.apache.beam.runners.flink.FlinkRunner}, as a name that loads nothing. */
  static final String RUNNER_CLASS = "org.apache.beam.runners.flink.FlinkRunner";

  private FlinkWorkers() {}

  /**
   * The parallelism the FlinkRunner will run this job at, where it runs it with the DataSet
   * batch translation (whose shuffle {@link FlinkKeyPlacement} describes); empty elsewhere.
   * Without --parallelism, the runner's own choice (its flink configuration's
   * parallelism.default, or the local cores for {@code [local]}), asked of a copy of the
   * options, as the runner sets it on them only when the job starts.
   */
  static OptionalInt ofBatchJob(PipelineOptions o) {
    if (o.getRunner() == null || !o.getRunner().getName().equals(RUNNER_CLASS)) {
      return OptionalInt.empty();
    }
    FlinkPipelineOptions flink = o.as(FlinkPipelineOptions.class);
    if (flink.isStreaming() || Boolean.TRUE.equals(flink.getUseDataStreamForBatch())) {
      return OptionalInt.empty();
    }
    if (flink.getParallelism() != null && flink.getParallelism() > 0) {
      return OptionalInt.of(flink.getParallelism());
    }
    FlinkPipelineOptions copy = new SerializablePipelineOptions(o).get()
        .as(FlinkPipelineOptions.class);
    copy.setFilesToStage(List.of());
    return OptionalInt.of(
        FlinkExecutionEnvironments.createBatchExecutionEnvironment(copy).getParallelism());
  }
}
