package decimerbeam.testing;

import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.RunCommand;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The run command with the stand-in recognizer, as a process of its own that a test can kill:
 * the same options, pipeline and exit code as {@code decimer-beam run}, without the model.
 */
public final class StandInRun {

  private StandInRun() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(DecimerOptions.class);
    System.exit(RunCommand.launch(options, StandInRecognizer.factory("stand-in run"))
        .exitCode().code());
  }
}
