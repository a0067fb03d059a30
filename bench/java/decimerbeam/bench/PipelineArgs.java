package decimerbeam.bench;

import decimerbeam.pipeline.DecimerOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The options benchmark 2 runs its pipelines with (PipelineOverhead, FlinkOverhead): its own
 * arguments, then those of the system property {@code pipelineArgs}
 * (-DpipelineArgs="--formats=jsonl ..."), so that what an option costs can be measured without
 * editing the benchmark.
 */
final class PipelineArgs {

  private PipelineArgs() {}

  /** {@code args} alone, validated as the command line would be. */
  static DecimerOptions parse(List<String> args) {
    PipelineOptionsFactory.register(DecimerOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation()
        .as(DecimerOptions.class);
  }

  /** {@code args}, then -DpipelineArgs (split at white space), validated. */
  static DecimerOptions withExtras(List<String> args) {
    List<String> all = new ArrayList<>(args);
    String extra = System.getProperty("pipelineArgs", "").strip();
    if (!extra.isEmpty()) {
      all.addAll(List.of(extra.split("\\s+")));
    }
    return parse(all);
  }
}
