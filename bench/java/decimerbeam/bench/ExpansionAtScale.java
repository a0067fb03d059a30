package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.tools.Azurite;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 3: DIRS directories of PER_DIR small blobs in Azurite, expanded into image refs by
 * decimer-beam's expansion and by Beam's {@code FileIO.match()} on the equivalent glob, each in
 * its own fresh JVM (so each one's memory is its own), alternating which goes first per round.
 *
 * Modes: {@code pipeline} (each expansion as a DirectRunner pipeline) and {@code listing} (the
 * storage calls alone, without a runner).
 *
 * <pre>ExpansionAtScale DIRS PER_DIR ROUNDS MODES OUT.jsonl FILEIO_CLASSPATH_FILE LOG_DIR</pre>
 */
public final class ExpansionAtScale {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ExpansionAtScale() {}

  public static void main(String[] args) throws Exception {
    ScaleTree tree = ScaleTree.fromArgs(args);
    int rounds = Integer.parseInt(args[2]);
    List<String> modes = List.of(args[3].split(","));
    Path out = Path.of(args[4]);
    String fileIoClasspath = Files.readString(Path.of(args[5])).strip();
    Path logs = Path.of(args[6]);
    String ours = System.getProperty("java.class.path");
    String classes = ours.split(":")[0];
    try (Azurite azurite = Azurite.start(true);
        PrintStream jsonl = new PrintStream(Files.newOutputStream(out), true, "UTF-8")) {
      byte[] content = new byte[100];
      tree.seed(azurite, "", "blobs", (d, i) -> content);
      String root = "azfs://" + Azurite.ACCOUNT + "/scale/";
      List<JsonNode> rows = new ArrayList<>();
      for (String mode : modes) {
        List<String> oursCmd = List.of("java", "-cp", ours, OurExpansion.class.getName(), mode,
            azurite.connectionString(), root, "azfs://" + Azurite.ACCOUNT + "/scale-out/results/");
        List<String> fileIoCmd = List.of("java", "-cp", classes + ":" + fileIoClasspath,
            FileIoMatch.class.getName(), mode, azurite.connectionString(), Azurite.ACCOUNT,
            Azurite.KEY, root + "*/*.png");
        for (int round = 1; round <= rounds; round++) {
          List<List<String>> order = round % 2 == 1 ? List.of(oursCmd, fileIoCmd)
              : List.of(fileIoCmd, oursCmd);
          for (List<String> cmd : order) {
            JsonNode r = child(cmd, logs.resolve("expansion-" + mode + "-round" + round + "-"
                + (cmd == oursCmd ? "ours" : "fileio") + ".log"));
            ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("round", round)
                .put("runMode", mode).put("blobs", tree.blobs())
                .put("directories", tree.directories());
            jsonl.println(JSON.writeValueAsString(r));
            rows.add(r);
            System.err.println(r);
          }
        }
      }
      printTable(rows);
    }
  }

  /** Runs one side in a fresh JVM; its last stdout line is its JSON result. */
  private static JsonNode child(List<String> cmd, Path log) throws IOException,
      InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    String[] lines = stdout.strip().split("\n");
    if (rc != 0 || !lines[lines.length - 1].startsWith("{")) {
      throw new IllegalStateException(cmd.get(3) + " failed (exit " + rc + "), see " + log);
    }
    return JSON.readTree(lines[lines.length - 1]);
  }

  private static void printTable(List<JsonNode> rows) {
    System.out.println("| expansion | round | files found | seconds | × Beam's speed "
        + "| peak RSS MiB (before run) | peak heap MiB |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (JsonNode r : rows) {
      double fileIo = rows.stream().filter(x -> x.get("round").equals(r.get("round"))
          && x.get("runMode").equals(r.get("runMode"))
          && x.get("mode").asText().contains("Beam")).findFirst()
          .map(x -> x.get("wallSeconds").asDouble()).orElse(Double.NaN);
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.2f | %d (%d) | %d |%n",
          r.get("mode").asText(), r.get("round").asInt(), r.get("files").asLong(),
          r.get("wallSeconds").asDouble(), fileIo / r.get("wallSeconds").asDouble(),
          r.get("peakRssMib").asLong(), r.get("rssBeforeMib").asLong(),
          r.get("peakHeapMib").asLong());
    }
  }
}
