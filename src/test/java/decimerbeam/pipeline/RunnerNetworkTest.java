package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flink's REST endpoint takes job jars without authentication: every config binds REST and RPC
 * to one address (loopback unless the cluster script is given a private one), never to all
 * interfaces.
 */
class RunnerNetworkTest {

  private static final List<String> JOBMANAGER_KEYS =
      List.of("jobmanager.rpc.address", "rest.address");
  private static final List<String> BIND_KEYS = List.of("jobmanager.bind-host",
      "rest.bind-address", "taskmanager.bind-host", "taskmanager.host");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"local-2core.yaml", "f16s_v2.yaml", "e16ds_v5.yaml"})
  void everyConfigBindsToLoopbackByDefault(String file) throws Exception {
    Files.copy(Path.of("runner-configs/flink").resolve(file), tmp.resolve("config.yaml"));
    Configuration config = GlobalConfiguration.loadConfiguration(tmp.toString());
    for (String key : concat()) {
      assertThat(file + " " + key, config.toMap().get(key), equalTo("localhost"));
    }
  }

  @Test
  void clusterScriptPutsInThePrivateAddresses() throws Exception {
    Result r = conf(Map.of("FLINK_BIND_ADDRESS", "10.0.0.7",
        "FLINK_JOBMANAGER_ADDRESS", "10.0.0.4"));
    assertThat(r.output, r.exit, equalTo(0));
    Configuration config = GlobalConfiguration.loadConfiguration(tmp.resolve("work/conf")
        .toString());
    for (String key : JOBMANAGER_KEYS) {
      assertThat(key, config.toMap().get(key), equalTo("10.0.0.4"));
    }
    for (String key : BIND_KEYS) {
      assertThat(key, config.toMap().get(key), equalTo("10.0.0.7"));
    }
  }

  @Test
  void clusterScriptRefusesAllInterfaces() throws Exception {
    Result r = conf(Map.of("FLINK_BIND_ADDRESS", "0.0.0.0"));
    assertThat(r.exit, not(equalTo(0)));
    assertThat(r.output, containsString("refusing to bind Flink to '0.0.0.0'"));
    assertThat("no Flink config.yaml is written",
        Files.exists(tmp.resolve("work/conf/config.yaml")), equalTo(false));
  }

  private record Result(int exit, String output) {}

  private Result conf(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "tools/flink-cluster.sh", "conf",
        "runner-configs/flink/f16s_v2.yaml").redirectErrorStream(true);
    pb.environment().put("FLINK_WORK", tmp.resolve("work").toString());
    pb.environment().remove("FLINK_BIND_ADDRESS");
    pb.environment().remove("FLINK_JOBMANAGER_ADDRESS");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static List<String> concat() {
    return java.util.stream.Stream.concat(JOBMANAGER_KEYS.stream(), BIND_KEYS.stream()).toList();
  }
}
