package decimerbeam.bench;

import static decimerbeam.bench.OverheadFigures.cores;
import static decimerbeam.bench.OverheadFigures.loadAverage;
import static decimerbeam.bench.OverheadFigures.round2;
import static decimerbeam.bench.OverheadFigures.round3;
import static decimerbeam.bench.OverheadFigures.sameSmiles;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.Recognizer;
import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.DecimerPipeline;
import decimerbeam.pipeline.RunCommand;
import decimerbeam.tools.Azurite;
import decimerbeam.worker.DecimerModel;
import decimerbeam.worker.SharedRecognizers;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;

/**
 * Benchmark 2: the whole pipeline on the DirectRunner, reading from and writing to Azurite, vs
 * the raw engine loop over the same images at the same concurrency, one after the other in one
 * JVM with one loaded model (so neither side pays the model load). Per run: img/s, CPU seconds
 * per image, and how busy the machine's cores were (Azurite's own work included).
 *
 * <pre>PipelineOverhead ROUNDS OUT.jsonl DIR...</pre>
 *
 * <p>{@code -DsecondOpinions=none} runs the pipeline only without the second reader (default
 * {@code none,molvec}).
 */
public final class PipelineOverhead {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineOverhead() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    List<String> names = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String dir = Path.of(args[i]).getFileName().toString();
      for (Path p : BenchImages.in(List.of(args[i]))) {
        // "directory/image": copies of one image in several directories are rows of their own.
        names.add(dir + "/" + p.getFileName());
        bytes.add(Files.readAllBytes(p));
      }
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Azurite azurite = Azurite.start();
        PrintStream jsonl = new PrintStream(Files.newOutputStream(out), true, "UTF-8")) {
      BlobContainerClient container = azurite.container("bench");
      for (int i = 0; i < names.size(); i++) {
        container.getBlobClient("images/" + names.get(i))
            .upload(BinaryData.fromBytes(bytes.get(i)), true);
      }
      DecimerOptions defaults = options(azurite, "azfs://" + Azurite.ACCOUNT + "/bench/unused/");
      int concurrency = DecimerPipeline.capacityHere(defaults,
          DecimerPipeline.decimerModel(defaults)).permits();
      DecimerModel model = DecimerPipeline.decimerModel(defaults);
      EngineSettings settings = model.engineSettings(concurrency);
      // Hold the engine the pipeline's workers will share, so both sides run on a loaded model.
      Recognizer engine = SharedRecognizers.acquire(model, concurrency);
      engine.recognize(bytes.get(0));
      Map<String, String> rawSmiles = null;
      List<ObjectNode> rows = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        MachineCpu m0 = MachineCpu.now();
        Threads th = Threads.start();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long[] d0 = decoderSteps(engine);
        rawSmiles = EngineLoop.run(engine, names, bytes, concurrency);
        rows.add(th.end(withDecoderSteps(row("raw engine loop", round, concurrency, settings,
            names.size(), rawSmiles.size(), t0, cpu0, m0, os, rawSmiles, rawSmiles), engine, d0),
            names.size()));

        // The pipeline without and with the second reader (its default), side by side.
        for (String second : System.getProperty("secondOpinions", "none,molvec").split(",")) {
          String prefix = "round-" + round + "-" + second + "/";
          DecimerOptions options = options(azurite,
              "azfs://" + Azurite.ACCOUNT + "/bench-out/" + prefix);
          options.setSecondOpinion(second);
          m0 = MachineCpu.now();
          th = Threads.start();
          cpu0 = os.getProcessCpuTime();
          t0 = System.nanoTime();
          long[] p0 = decoderSteps(engine);
          PipelineResult.State state = RunCommand.run(options);
          if (state != PipelineResult.State.DONE) {
            throw new IllegalStateException("pipeline ended " + state);
          }
          long[] window = new long[] {Long.MAX_VALUE, 0};
          Map<String, String> pipelineSmiles = results(container, prefix, window);
          ObjectNode r = withDecoderSteps(row("pipeline (DirectRunner, Azurite), --secondOpinion="
              + second, round, concurrency, settings, names.size(), pipelineSmiles.size(), t0,
              cpu0, m0, os, pipelineSmiles, rawSmiles), engine, p0);
          // As bench/flink-overhead.sh times a Flink job: from the first image's start to the
          // last row, without the launch, listing and end-of-run writing.
          double rowSeconds = (window[1] - window[0]) / 1000.0;
          rows.add(th.end(r.put("firstStartToLastRowSeconds", round2(rowSeconds))
              .put("imagesPerSecondFirstStartToLastRow", round3(names.size() / rowSeconds)),
              names.size()));
        }
      }
      for (ObjectNode r : rows) {
        jsonl.println(JSON.writeValueAsString(r));
      }
      if (SharedRecognizers.release(engine)) {
        engine.close();
      }
      printTable(rows);
    }
  }

  private static DecimerOptions options(Azurite azurite, String output) {
    List<String> args = new ArrayList<>(List.of(
        "--input=azfs://" + Azurite.ACCOUNT + "/bench/images/", "--output=" + output,
        "--progressInterval=30"));
    args.addAll(azurite.pipelineArgs());
    return PipelineArgs.withExtras(args);
  }

  /**
   * "directory/image" → SMILES of every RECOGNIZED row the run wrote under {@code prefix}; the first
   * row's start ({@code finishedAt} less {@code durationMs}) and the last row's
   * {@code finishedAt} go into {@code window}.
   */
  private static Map<String, String> results(BlobContainerClient container, String prefix,
      long[] window) throws Exception {
    Map<String, String> smiles = new TreeMap<>();
    BlobContainerClient outputs = container.getServiceClient().getBlobContainerClient("bench-out");
    for (BlobItem b : outputs.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      if (b.getName().endsWith("/results.jsonl")) {
        String text = new String(outputs.getBlobClient(b.getName()).downloadContent().toBytes(),
            StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
          if (!line.isBlank()) {
            JsonNode n = JSON.readTree(line);
            long finished = n.path("finishedAt").asLong();
            window[0] = Math.min(window[0], finished - n.path("durationMs").asLong());
            window[1] = Math.max(window[1], finished);
            if (n.path("status").asText().equals("RECOGNIZED")) {
              String dir = n.path("directory").asText().replaceFirst("/$", "");
              smiles.put(dir.substring(dir.lastIndexOf('/') + 1) + "/" + n.path("image").asText(),
                  n.path("smiles").asText());
            }
          }
        }
      }
    }
    return smiles;
  }

  private static ObjectNode row(String mode, int round, int concurrency, EngineSettings s,
      int images, int recognized, long t0, long cpu0, MachineCpu m0,
      com.sun.management.OperatingSystemMXBean os, Map<String, String> smiles,
      Map<String, String> raw) {
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    double busy = MachineCpu.now().busyPercentSince(m0);
    ObjectNode r = JSON.createObjectNode();
    r.put("mode", mode).put("round", round).put("concurrency", concurrency)
        .put("intraOpThreads", s.intraOpThreads()).put("interOpThreads", s.interOpThreads())
        .put("images", images).put("recognized", recognized)
        .put("sameSmilesAsRaw", sameSmiles(smiles, raw))
        .put("wallSeconds", round2(wall)).put("imagesPerSecond", round3(images / wall))
        .put("cpuSecondsPerImage", round3(cpu / images))
        .put("jvmCpuPercentOfCores", round2(100 * cpu / (wall * cores())))
        .put("machineBusyPercent", round2(busy)).put("loadAverage", loadAverage());
    System.err.printf(Locale.ROOT, "%s round %d: %.3f img/s, machine busy %.1f %%%n", mode,
        round, images / wall, busy);
    return r;
  }

  private static void printTable(List<ObjectNode> rows) {
    System.out.println("| run | round | concurrency | img/s | × raw engine | CPU s / image "
        + "| JVM CPU % of cores | machine busy % | rows busy per decoder step "
        + "| rows RECOGNIZED | same SMILES as raw | img/s first image to last row | × raw |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    double raw = 0;
    for (ObjectNode r : rows) {
      double ips = r.get("imagesPerSecond").asDouble();
      if (r.get("mode").asText().startsWith("raw")) {
        raw = ips;
      }
      // The raw loop's wall time is already from its first image to its last.
      double rowIps = r.has("imagesPerSecondFirstStartToLastRow")
          ? r.get("imagesPerSecondFirstStartToLastRow").asDouble() : ips;
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.2f | %.2f | %.1f | %.1f | %.2f"
          + " | %d / %d | %d / %d | %.3f | %.2f |%n", r.get("mode").asText(), r.get("round").asInt(),
          r.get("concurrency").asInt(), ips, ips / raw, r.get("cpuSecondsPerImage").asDouble(),
          r.get("jvmCpuPercentOfCores").asDouble(), r.get("machineBusyPercent").asDouble(),
          r.get("meanRowsPerStep").asDouble(),
          r.get("recognized").asInt(), r.get("images").asInt(), r.get("sameSmilesAsRaw").asInt(),
          r.get("recognized").asInt(), rowIps, rowIps / raw);
    }
  }

  /** The cached decoder's steps and the rows they served so far; zeros with the full one. */
  private static long[] decoderSteps(Recognizer engine) {
    if (!(engine instanceof DecimerEngine e)) {
      return new long[2];
    }
    DecimerEngine.DecoderStats s = e.decoderStats();
    return new long[] {s.steps(), s.rowSteps()};
  }

  /** How full the decoder's steps were during the run that started at {@code before}. */
  private static ObjectNode withDecoderSteps(ObjectNode row, Recognizer engine, long[] before) {
    long[] after = decoderSteps(engine);
    long steps = after[0] - before[0];
    return row.put("decoderSteps", steps).put("meanRowsPerStep",
        steps == 0 ? 0 : round2((double) (after[1] - before[1]) / steps));
  }

  /**
   * This JVM's CPU per image by thread group over one run (FlinkOverhead's sampler on this
   * process: the JVM's threads named 8 s into the run, the rest TensorFlow's).
   */
  private record Threads(FlinkOverhead.Sampler sampler, long startMillis) {

    static Threads start() {
      FlinkOverhead.Sampler s = new FlinkOverhead.Sampler(ProcessHandle.current().pid());
      s.start();
      return new Threads(s, System.currentTimeMillis());
    }

    ObjectNode end(ObjectNode row, int images) throws Exception {
      sampler.stop();
      row.set("threadCpuSecondsPerImage",
          sampler.threadCpuPerImage(startMillis, System.currentTimeMillis(), images));
      return row;
    }
  }
}
