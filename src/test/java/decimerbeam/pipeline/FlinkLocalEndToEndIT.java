package decimerbeam.pipeline;

import java.util.List;

/**
 * The Azure end-to-end contract on Flink's embedded MiniCluster ({@code --flinkMaster=[local]}),
 * two task slots sharing one model.
 */
class FlinkLocalEndToEndIT extends AzureEndToEndIT {

  @Override
  List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
