package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import decimerbeam.inference.InferenceCapacity;
import decimerbeam.worker.DecimerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each Flink config resolves into a valid TaskManager memory layout (as Flink's scripts derive
 * it), reserves native memory for the model and one inference per slot, and gives as many
 * inference permits as it has slots, as runner-configs/README.md states.
 */
class RunnerConfigsTest {

  @TempDir Path conf;

  @ParameterizedTest
  @CsvSource({"local-2core.yaml, 24576, 2, 8", "f16s_v2.yaml, 32768, 16, 64",
      "e16ds_v5.yaml, 131072, 16, 64"})
  void configResolvesAndSizesInferences(String file, long vmRamMib, int cores, int permits)
      throws Exception {
    Files.copy(Path.of("runner-configs/flink").resolve(file), conf.resolve("config.yaml"));
    Configuration config = GlobalConfiguration.loadConfiguration(conf.toString());
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(
        TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(
            config, org.apache.flink.configuration.TaskManagerOptions.TOTAL_PROCESS_MEMORY));
    int slots = config.get(org.apache.flink.configuration.TaskManagerOptions.NUM_TASK_SLOTS);
    // A slot is a thread holding one image in flight: as many as the default decoder's permits.
    assertThat(slots, equalTo(cores * DecimerModel.CACHED_IMAGES_PER_CORE));
    assertThat(config.get(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM),
        equalTo(slots));
    long offHeapMib = spec.getTaskOffHeapSize().getMebiBytes();
    assertThat(offHeapMib, greaterThanOrEqualTo(InferenceCapacity.MODEL_FOOTPRINT_MIB
        + (long) slots * InferenceCapacity.PER_INFERENCE_MIB / 2));
    long heapMaxMib = spec.getJvmHeapMemorySize().getMebiBytes();
    assertThat(InferenceCapacity.compute(vmRamMib, 0.75, heapMaxMib, cores, 0, 1,
        DecimerModel.CACHED_IMAGES_PER_CORE).permits(), equalTo(permits));
    assertThat(config.get(
            org.apache.flink.configuration.CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL),
        equalTo(java.util.List.of("org.tensorflow.", "org.bytedeco.", "com.google.protobuf.")));
    // Last resort after the memory watchdog: a TaskManager out of heap exits and is restarted.
    assertThat(config.get(org.apache.flink.configuration.CoreOptions.FLINK_TM_JVM_OPTIONS),
        org.hamcrest.Matchers.containsString("-XX:+ExitOnOutOfMemoryError"));
  }
}
