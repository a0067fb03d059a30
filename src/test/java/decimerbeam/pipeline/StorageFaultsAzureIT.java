package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.tools.Azurite;
import decimerbeam.tools.StorageCalls;
import decimerbeam.tools.StorageFault;
import decimerbeam.tools.StorageProxy;
import decimerbeam.tools.StorageRequestKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs against Azurite through {@link StorageProxy}, with the stand-in recognizer: storage
 * that fails now and then, goes down for a while, or refuses one directory for good never
 * loses a row, never marks a directory done that is not, and never stops the other directories.
 */
class StorageFaultsAzureIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The outage of {@link #aStorageOutageInTheMiddleOfARunLosesNothing}; 60 for the full test. */
  private static final long OUTAGE_SECONDS = Long.getLong("storageOutageSeconds", 15);

  private static Azurite azurite;
  private static StorageProxy proxy;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
    proxy = StorageProxy.inFrontOf(azurite);
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    azurite.close();
  }

  @AfterEach
  void noFaults() {
    proxy.clearFaults();
  }

  private static String root(String container) {
    return "azfs://" + Azurite.ACCOUNT + "/" + container + "/";
  }

  private static PipelineResult.State run(String container, String output, String recognizer,
      String... retry) throws Exception {
    List<String> args = new ArrayList<>(List.of("--input=" + root(container) + "in/",
        "--output=" + root(container) + output + "/", "--progressInterval=0",
        "--checkpointInterval=1", "--imageTimeout=10"));
    args.addAll(proxy.pipelineArgs());
    args.addAll(List.of(retry));
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions o = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(DecimerOptions.class);
    return RunCommand.run(o, StandInRecognizer.factory(recognizer));
  }

  /** image → status, SMILES and error kind of {@code <output>/in/<dir>/results.jsonl}. */
  private static Map<String, String> rows(BlobContainerClient c, String output, String dir)
      throws IOException {
    Map<String, String> rows = new TreeMap<>();
    String jsonl = c.getBlobClient(output + "/in/" + dir + "/results.jsonl").downloadContent()
        .toString();
    for (String line : jsonl.split("\n")) {
      JsonNode n = JSON.readTree(line);
      String row = n.get("status").asText() + " " + n.get("smiles").asText() + " "
          + n.get("errorKind").asText();
      assertThat("one row per image", rows.put(n.get("image").asText(), row) == null,
          equalTo(true));
    }
    return rows;
  }

  private static JsonNode runSummary(BlobContainerClient c, String output) throws IOException {
    return JSON.readTree(c.getBlobClient(output + "/_run-summary.json").downloadContent()
        .toString());
  }

  private static boolean done(BlobContainerClient c, String output, String dir) {
    return c.getBlobClient(output + "/in/" + dir + "/summary.json").exists();
  }

  /** The directories of one list of the run summary, by their path below "in/". */
  private static Map<String, String> failedDirectories(JsonNode summary, String list) {
    Map<String, String> failed = new TreeMap<>();
    for (JsonNode f : summary.get(list)) {
      String dir = f.get("directory").asText();
      failed.put(dir.substring(dir.indexOf("/in/") + 4), f.get("error").asText());
    }
    return failed;
  }

  private static void put(BlobContainerClient c, String name, byte[] bytes) {
    c.getBlobClient(name).upload(BinaryData.fromBytes(bytes), true);
  }

  @Test
  void tenPercentFaultsOnEveryRequestKindGiveTheRowsOfAFaultFreeRun() throws Exception {
    BlobContainerClient c = azurite.container("flaky");
    List<String> dirs = List.of("a", "b", "c", "d");
    for (String d : dirs) {
      for (int i = 0; i < 8; i++) {
        put(c, "in/" + d + "/" + i + ".png", image("smiles=" + d.toUpperCase() + "C".repeat(i)));
      }
      put(c, "in/" + d + "/notes.txt", image("smiles=N"));
    }
    put(c, "in/a/broken.png", image("fail=UNREADABLE"));
    String[] retry = {"--storageRetryWindow=60", "--storageRetryInitialDelayMs=100",
        "--storageRetryMaxDelay=2", "--storageTryTimeout=3"};
    assertThat(run("flaky", "clean", "faults-clean", retry), equalTo(PipelineResult.State.DONE));

    // About one request in ten fails, of every kind, in every way the proxy knows.
    for (StorageFault f : List.of(
        StorageFault.status(503).retryAfter(Duration.ofSeconds(1)).probability(0.02),
        StorageFault.status(500).probability(0.02),
        StorageFault.status(502).probability(0.02),
        StorageFault.status(504).probability(0.02),
        StorageFault.reset().probability(0.01),
        StorageFault.stall(Duration.ofSeconds(6)).probability(0.01))) {
      proxy.inject(f);
    }
    StorageCalls before = proxy.calls();
    assertThat(run("flaky", "faulty", "faults-faulty", retry),
        equalTo(PipelineResult.State.DONE));
    StorageCalls calls = proxy.calls().minus(before);
    System.out.println("Faulty run: " + calls);
    // About 10 % are drawn to fail; a quarter of that proves faults were injected throughout,
    // and chance never goes that low (a half of it did: 13 of 276).
    assertThat("requests faulted, of " + calls.totalReceived(), calls.totalFaulted(),
        greaterThan(calls.totalReceived() / 40));

    for (String d : dirs) {
      assertThat(d, rows(c, "faulty", d), equalTo(rows(c, "clean", d)));
      assertThat(d + " is marked done", done(c, "faulty", d), equalTo(true));
    }
    assertThat(rows(c, "faulty", "a").get("broken.png"), equalTo("FAILED  UNREADABLE"));
    JsonNode summary = runSummary(c, "faulty");
    assertThat(summary.get("directories").get("done").asInt(), equalTo(4));
    assertThat(summary.get("directories").get("failed").asInt(), equalTo(0));
  }

  @Test
  void aStorageOutageInTheMiddleOfARunLosesNothing() throws Exception {
    BlobContainerClient c = azurite.container("outage");
    Path log = tmp.resolve("recognized.log");
    for (String d : List.of("a", "b", "c")) {
      for (int i = 0; i < 10; i++) {
        put(c, "in/" + d + "/" + i + ".png",
            image("sleepMs=150", "smiles=" + d.toUpperCase() + "C".repeat(i), "log=" + log));
      }
    }
    // Storage goes down once 8 of the 30 images are read: the other 22 are read during it.
    long[] downAt = {0};
    long readsBefore = proxy.calls().received(StorageRequestKind.READ);
    Thread outage = new Thread(() -> {
      try {
        while (proxy.calls().received(StorageRequestKind.READ) - readsBefore < 8) {
          Thread.sleep(5);
        }
        downAt[0] = System.currentTimeMillis();
        proxy.down(Duration.ofSeconds(OUTAGE_SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    outage.setDaemon(true);
    outage.start();
    // The retry window outlasts the outage by 30 s.
    assertThat(run("outage", "out", "outage", "--storageRetryWindow=" + (OUTAGE_SECONDS + 30),
        "--storageRetryInitialDelayMs=200", "--storageRetryMaxDelay=2",
        "--storageTryTimeout=3"), equalTo(PipelineResult.State.DONE));
    outage.join(1000);

    assertThat("the outage began during the run", downAt[0], greaterThan(0L));
    long after = Files.readAllLines(log).stream()
        .filter(l -> Long.parseLong(l.split("\t")[1]) > downAt[0] + OUTAGE_SECONDS * 1000)
        .count();
    assertThat("images were still recognised after the outage", after, greaterThan(0L));
    for (String d : List.of("a", "b", "c")) {
      Map<String, String> rows = rows(c, "out", d);
      assertThat(rows.size(), equalTo(10));
      for (int i = 0; i < 10; i++) {
        assertThat(rows.get(i + ".png"),
            equalTo("RECOGNIZED " + d.toUpperCase() + "C".repeat(i) + " "));
      }
      assertThat(d + " is marked done", done(c, "out", d), equalTo(true));
    }
    assertThat(runSummary(c, "out").get("directories").get("done").asInt(), equalTo(3));
  }

  @Test
  void aDirectoryStorageRefusesForGoodFailsAloneAndIsNeverMarkedDone() throws Exception {
    BlobContainerClient c = azurite.container("refused");
    for (String d : List.of("ok1", "listing", "reading", "writing", "ok2")) {
      for (int i = 0; i < 4; i++) {
        put(c, "in/" + d + "/" + i + ".png", image("smiles=C" + "O".repeat(i)));
      }
    }
    // Each kind of storage call fails for good in one directory: its listing, one image's
    // read, the writes of its results.
    proxy.inject(StorageFault.status(503).onTargetsContaining("in/listing/"));
    proxy.inject(StorageFault.status(500).on(StorageRequestKind.READ)
        .onTargetsContaining("refused/in/reading/2.png"));
    proxy.inject(StorageFault.status(503).on(StorageRequestKind.WRITE)
        .onTargetsContaining("refused/out/in/writing/"));
    String[] retry = {"--storageRetryWindow=2", "--storageRetryInitialDelayMs=100",
        "--storageRetryMaxDelay=1", "--storageTryTimeout=3"};
    assertThat(run("refused", "out", "refused-first", retry),
        equalTo(PipelineResult.State.DONE));

    JsonNode summary = runSummary(c, "out");
    assertThat(summary.get("directories").get("done").asInt(), equalTo(2));
    // A directory whose output storage refuses every write fails while it is prepared (its
    // listing is staged first), before any image of it is recognised.
    assertThat(summary.get("directories").get("failed").asInt(), equalTo(2));
    assertThat(summary.get("directories").get("unfinished").asInt(), equalTo(1));
    assertThat("complete, with failed and unfinished directories",
        summary.get("complete").asBoolean(), equalTo(false));
    Map<String, String> failed = failedDirectories(summary, "failedDirectories");
    assertThat(failed.keySet().toString(), equalTo("[listing/, writing/]"));
    assertThat(failed.get("listing/"), containsString("could not be listed"));
    assertThat(failed.get("listing/"), containsString("HTTP 503"));
    assertThat(failed.get("writing/"), containsString("HTTP 503"));
    Map<String, String> left = failedDirectories(summary, "unfinishedDirectories");
    assertThat(left.keySet().toString(), equalTo("[reading/]"));
    assertThat(left.get("reading/"), containsString("1 of 4 images could not be read"));
    assertThat(left.get("reading/"), containsString("2.png"));
    for (String d : List.of("listing", "reading", "writing")) {
      assertThat(d + " is not marked done", done(c, "out", d), equalTo(false));
    }
    assertThat(rows(c, "out", "ok1").size(), equalTo(4));
    assertThat(rows(c, "out", "ok2").size(), equalTo(4));

    // Storage answers again: a plain rerun finishes the three, and reads again only what it
    // lacks of "reading" (its three good rows stayed staged).
    proxy.clearFaults();
    assertThat(run("refused", "out", "refused-rerun", retry),
        equalTo(PipelineResult.State.DONE));
    summary = runSummary(c, "out");
    assertThat(summary.get("directories").get("done").asInt(), equalTo(3));
    assertThat(summary.get("directories").get("alreadyDone").asInt(), equalTo(2));
    assertThat("every directory finished after the rerun", summary.get("complete").asBoolean(),
        equalTo(true));
    for (String d : List.of("listing", "reading", "writing")) {
      Map<String, String> rows = rows(c, "out", d);
      assertThat(rows.size(), equalTo(4));
      assertThat(rows.get("2.png"), equalTo("RECOGNIZED COO "));
    }
    assertThat(StandInRecognizer.stats("refused-rerun").calls.get(), equalTo(4 + 1 + 4));
  }
}
