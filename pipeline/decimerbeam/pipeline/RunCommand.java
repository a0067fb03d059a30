package decimerbeam.pipeline;

import decimerbeam.inference.NativeLogging;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import decimerbeam.transforms.RecognizerFactory;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code run}: parses options, builds the pipeline, runs it and reports progress. */
public final class RunCommand {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  private RunCommand() {}

  static int run(String[] args) throws Exception {
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(DecimerOptions.class);
    PipelineResult.State state = run(options);
    return state == PipelineResult.State.DONE ? 0 : 1;
  }

  /** Runs to completion with the DECIMER model the options name. */
  public static PipelineResult.State run(DecimerOptions options) throws Exception {
    return run(options, DecimerPipeline.decimerModel(options));
  }

  /**
   * Runs to completion; on the DirectRunner prints progress while it runs. A dry run lists the
   * directories and their image counts instead, here in the launcher.
   */
  public static PipelineResult.State run(DecimerOptions options, RecognizerFactory recognizer)
      throws Exception {
    long start = System.currentTimeMillis();
    // Before any worker in this JVM loads TensorFlow (DirectRunner, Flink [local]); remote
    // TaskManagers take TF_CPP_MIN_LOG_LEVEL from their own environment, quiet by default.
    NativeLogging.configure(options.getVerbose());
    if (options.getDryRun()) {
      List<String> inputs = DecimerPipeline.inputs(options);
      DecimerPipeline.validate(options, inputs);
      String output = options.getOutput() == null || options.getOutput().isBlank()
          ? "dry-run/" : options.getOutput();
      DryRun.print(inputs, Location.directory(output), DecimerPipeline.azureAccess(options),
          options.getListingParallelism(), System.out);
      return PipelineResult.State.DONE;
    }
    boolean direct = options.getRunner() == DirectRunner.class;
    if (!direct && DecimerPipeline.azureAccess(options).hasSecrets()) {
      // Secrets never travel in the job graph (see AccessWithoutSecrets).
      LOG.info("Azure secrets given to this launcher stay here; each TaskManager reads {}, {} or"
          + " {} from its own environment, else uses its managed identity",
          AzureAccess.ENV_CONNECTION_STRING, AzureAccess.ENV_ACCOUNT_KEY,
          AzureAccess.ENV_SAS_TOKEN);
    }
    if (direct) {
      // Return from run() at once so progress can be polled while the pipeline works.
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    Pipeline pipeline = DecimerPipeline.build(options, start, recognizer);
    PipelineResult result = pipeline.run();
    PipelineResult.State state =
        new ProgressReporter(result, options.getProgressInterval(), start).awaitCompletion();
    System.out.print(ClosingTable.of(Location.directory(options.getOutput()),
        DecimerPipeline.azureAccess(options), start));
    return state;
  }
}
