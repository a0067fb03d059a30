package decimerbeam.tools;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Azurite blob emulator on a free loopback port, for a test class or a benchmark. Uses
 * {@code $AZURITE_BLOB}, else {@code .ci/node/node_modules/.bin/azurite-blob}, installing the
 * pinned npm package there when it is missing. Never skipped: no Azurite, failed test.
 */
public final class Azurite implements AutoCloseable {

  public static final String VERSION = "3.37.0";
  public static final String ACCOUNT = "devstoreaccount1";
  /** Azurite's published development key (not a secret). */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final Path dataDir;
  public final int port;

  private Azurite(Process process, Path dataDir, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
  }

  public static Azurite start() throws IOException, InterruptedException {
    return start(false);
  }

  /** {@code inMemory}: blobs and metadata in RAM only (faster for benchmarks seeding many blobs). */
  public static Azurite start(boolean inMemory) throws IOException, InterruptedException {
    return start(inMemory, false);
  }

  /**
   * {@code accessLog}: Azurite writes one line per request it answers to {@link #log()}
   * (method, path and query, status), so a benchmark can count the storage calls it made.
   */
  public static Azurite start(boolean inMemory, boolean accessLog)
      throws IOException, InterruptedException {
    Path bin = binary();
    int port;
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createTempDirectory("azurite-");
    List<String> command = new java.util.ArrayList<>(List.of(bin.toString(), "--blobHost",
        "127.0.0.1", "--blobPort", String.valueOf(port), "--skipApiVersionCheck", "--loose"));
    if (!accessLog) {
      command.add("--silent");
    }
    command.addAll(inMemory ? List.of("--inMemoryPersistence")
        : List.of("--location", data.toString()));
    Process p = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(data.resolve("azurite.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("Azurite exited: " + Files.readString(data.resolve("azurite.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new Azurite(p, data, port);
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new IOException("Azurite did not listen on port " + port + " within 60 s");
  }

  private static synchronized Path binary() throws IOException, InterruptedException {
    String env = System.getenv("AZURITE_BLOB");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path prefix = Path.of(".ci/node").toAbsolutePath();
    Path bin = prefix.resolve("node_modules/.bin/azurite-blob");
    if (Files.isExecutable(bin)) {
      return bin;
    }
    Files.createDirectories(prefix);
    // Test JVMs side by side may all find it missing: one installs, the others wait for it.
    try (FileChannel ch = FileChannel.open(prefix.resolve(".install.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      if (!Files.isExecutable(bin)) {
        install(prefix, bin);
      }
    }
    return bin;
  }

  private static void install(Path prefix, Path bin) throws IOException, InterruptedException {
    // npm must not touch this JVM's own streams: under a test runner they are its channel.
    Path log = prefix.resolve("npm-install.log");
    Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix",
        prefix.toString(), "azurite@" + VERSION)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (npm.waitFor() != 0 || !Files.isExecutable(bin)) {
      throw new IOException("could not install Azurite " + VERSION + " with npm into " + prefix
          + "; npm's output is in " + log + ":\n" + Files.readString(log));
    }
  }

  /** Azurite's own output: start-up lines, errors, and the access log if it was asked for. */
  public Path log() {
    return dataDir.resolve("azurite.log");
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
        + ";BlobEndpoint=" + endpoint() + ";";
  }

  public BlobServiceClient client() {
    return new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
  }

  public BlobContainerClient container(String name) {
    BlobContainerClient c = client().getBlobContainerClient(name);
    c.createIfNotExists();
    return c;
  }

  /** The options that point the pipeline at this emulator. */
  public List<String> pipelineArgs() {
    return List.of("--azureConnectionString=" + connectionString());
  }

  @Override
  public void close() throws IOException {
    // Killed, not asked to stop: asked, Azurite waits for every kept-alive client connection
    // to go idle (the SDK's pool holds them open), and nothing it stored outlives it anyway.
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
