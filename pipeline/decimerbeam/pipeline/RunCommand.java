package decimerbeam.pipeline;

import decimerbeam.inference.NativeLogging;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import decimerbeam.worker.RecognizerFactory;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code run}: parses options, builds the pipeline, runs it and reports progress. */
public final class RunCommand {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  private RunCommand() {}

  /** The command line's run: its exit code ({@link ExitCode}). */
  static int run(String[] args) throws Exception {
    try {
      PipelineOptionsFactory.register(DecimerOptions.class);
      DecimerOptions options =
          PipelineOptionsFactory.fromArgs(args).withValidation().as(DecimerOptions.class);
      return launch(options, DecimerPipeline.decimerModel(options)).exitCode().code();
    } catch (IllegalArgumentException e) {
      // Options, inputs or names refused while the pipeline is built, before any work: a run's
      // own failures reach here wrapped by the runner, never as this.
      System.err.println("decimer-beam: " + e.getMessage() + " (see --help)");
      return ExitCode.USAGE.code();
    }
  }

  /** How a run ended: the pipeline's state, and the exit code its run summary gives. */
  public record Ending(PipelineResult.State state, ExitCode exitCode) {}

  /** Runs to completion with the DECIMER model the options name. */
  public static PipelineResult.State run(DecimerOptions options) throws Exception {
    return run(options, DecimerPipeline.decimerModel(options));
  }

  /** Runs to completion; the pipeline's state (see {@link #launch} for the exit code). */
  public static PipelineResult.State run(DecimerOptions options, RecognizerFactory recognizer)
      throws Exception {
    return launch(options, recognizer).state();
  }

  /**
   * Runs to completion; on the DirectRunner prints progress while it runs, and at the end the
   * closing table. A dry run lists the directories and their image counts instead, here in the
   * launcher. Options or inputs it refuses throw IllegalArgumentException before anything runs.
   */
  public static Ending launch(DecimerOptions options, RecognizerFactory recognizer)
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
      return new Ending(PipelineResult.State.DONE, ExitCode.COMPLETE);
    }
    boolean direct = DirectRunnerOptions.runsOn(options);
    if (!direct && DecimerPipeline.azureAccess(options).hasSecrets()) {
      // Secrets never travel in the job graph (see AccessWithoutSecrets).
      LOG.info("Azure secrets given to this launcher stay here; each TaskManager reads {}, {} or"
          + " {} from its own environment, else uses its managed identity",
          AzureAccess.ENV_CONNECTION_STRING, AzureAccess.ENV_ACCOUNT_KEY,
          AzureAccess.ENV_SAS_TOKEN);
    }
    if (direct) {
      DirectRunnerOptions.returnFromRunAtOnce(options);
    }
    Pipeline pipeline = DecimerPipeline.build(options, start, recognizer);
    PipelineResult result = pipeline.run();
    PipelineResult.State state =
        new ProgressReporter(result, options.getProgressInterval(), start).awaitCompletion();
    ClosingTable.Closing closing = ClosingTable.close(Location.directory(options.getOutput()),
        DecimerPipeline.azureAccess(options), start);
    System.out.print(closing.text());
    if (state != PipelineResult.State.DONE) {
      System.out.println("The pipeline ended " + state + ": exit code "
          + ExitCode.RUN_FAILED.code());
      return new Ending(state, ExitCode.RUN_FAILED);
    }
    return new Ending(state, closing.exitCode());
  }
}
