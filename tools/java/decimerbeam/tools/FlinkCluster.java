package decimerbeam.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A standalone Flink session cluster on loopback, through {@code tools/flink-cluster.sh}, on free
 * ports, for a test class or a benchmark. The script's output goes to {@code cluster.log} in the
 * work folder, never to this JVM's streams (under a test runner they are its channel).
 */
public final class FlinkCluster implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path work;
  private final Map<String, String> env;
  private final int restPort;

  private FlinkCluster(Path work, int restPort, int rpcPort, int blobPort,
      Map<String, String> environment) {
    this.work = work;
    this.restPort = restPort;
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(Map.of("FLINK_WORK", work.toString(), "FLINK_REST_PORT",
        String.valueOf(restPort), "FLINK_RPC_PORT", String.valueOf(rpcPort),
        "FLINK_BLOB_PORT", String.valueOf(blobPort)));
    this.env = Map.copyOf(env);
  }

  /** Starts a JobManager and one TaskManager with their state under {@code work}. */
  public static FlinkCluster start(Path work) throws IOException, InterruptedException {
    return start(work, null);
  }

  /**
   * As {@link #start(Path)}, with the configuration {@code config} (the script's default,
   * runner-configs/flink/local-2core.yaml, when null).
   */
  public static FlinkCluster start(Path work, Path config)
      throws IOException, InterruptedException {
    return start(work, config, Map.of());
  }

  /**
   * As {@link #start(Path, Path)}, the JobManager and TaskManager also given {@code environment}:
   * what a worker reads from its own environment, such as the storage secret, which never
   * travels in the job graph.
   */
  public static FlinkCluster start(Path work, Path config, Map<String, String> environment)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    FlinkCluster c = new FlinkCluster(work.toAbsolutePath(), freePort(), freePort(), freePort(),
        environment);
    c.script("stop");
    int started = config == null ? c.script("start")
        : c.script("start", config.toAbsolutePath().toString());
    if (started != 0) {
      throw new IOException("the Flink cluster did not start; see " + c.work.resolve("log")
          + " and " + c.work.resolve("cluster.log"));
    }
    return c;
  }

  /** Runs {@code tools/flink-cluster.sh ARGS} against this cluster; returns its exit code. */
  public int script(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "tools/flink-cluster.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("cluster.log").toFile()));
    pb.environment().putAll(env);
    return pb.start().waitFor();
  }

  public int restPort() {
    return restPort;
  }

  /** GET {@code path} (e.g. "/jobs/overview") of the cluster's REST API, as JSON. */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + restPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("Flink REST " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The pid file of a process of the cluster ({@code jm}, {@code tm-0}, ...). */
  public Path pidFile(String process) {
    return work.resolve("run").resolve(process + ".pid");
  }

  /** The classpath to submit with: this JVM's, without what the cluster itself provides. */
  public static String filesToStage() {
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.contains("/org/apache/flink/") && !e.contains("/org/tensorflow/")
          && !e.contains("/com/google/protobuf/protobuf-java/")) {
        keep.add(e);
      }
    }
    return String.join(",", keep);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      script("stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
