package decimerbeam.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;

/**
 * A TaskManager layout of runner-configs/flink made to run on this 2-core box with the shuffle
 * buffers it gets on its VM. Two sizes are set explicitly: managed memory 256m instead of the
 * files' 256m-4g (this box's RAM pays for it; Beam's batch sorts need little), and network
 * memory as the file resolves on its VM, which a TaskManager inside a test JVM would otherwise
 * cut to 64 MiB, too few for 64 slots shuffling to each other. Heap and off-heap sizes stay.
 */
final class LayoutOnThisMachine {

  private LayoutOnThisMachine() {}

  /**
   * Writes {@code confDir/config.yaml} from the layout {@code file} (e.g. "f16s_v2.yaml") with
   * those two sizes, followed by {@code extra} lines; returns the written file.
   */
  static Path write(String file, Path confDir, String... extra) throws IOException {
    Path conf = Files.createDirectories(confDir).resolve("config.yaml");
    Files.copy(Path.of("runner-configs/flink").resolve(file), conf,
        StandardCopyOption.REPLACE_EXISTING);
    long networkMib = TaskExecutorProcessUtils.processSpecFromConfig(
        TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(
            GlobalConfiguration.loadConfiguration(confDir.toString()),
            TaskManagerOptions.TOTAL_PROCESS_MEMORY)).getNetworkMemSize().getMebiBytes();
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(conf)) {
      lines.add(line.startsWith("taskmanager.memory.managed.size:")
          ? "taskmanager.memory.managed.size: 256m" : line);
    }
    lines.add("taskmanager.memory.network.min: " + networkMib + "m");
    lines.add("taskmanager.memory.network.max: " + networkMib + "m");
    lines.addAll(List.of(extra));
    Files.write(conf, lines);
    return conf;
  }
}
