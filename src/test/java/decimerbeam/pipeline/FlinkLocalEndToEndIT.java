package decimerbeam.pipeline;

import java.util.List;

/**
 * The Azure end-to-end contract on Flink's embedded MiniCluster ({@code --flinkMaster=[local]}),
 * two task slots sharing one model, with as many images in flight as slots (on Flink the slots
 * are the threads that hold them).
 */
class FlinkLocalEndToEndIT extends AzureEndToEndIT {

  @Override
  List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--maxConcurrentInferences=2");
  }
}
