package decimerbeam.bench;

import static decimerbeam.bench.OverheadFigures.loadAverage;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.RunCommand;
import decimerbeam.tools.FileTrees;
import decimerbeam.tools.FlinkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;

/**
 * A VM's TaskManager on this machine, with the real model: the layout of
 * {@code runner-configs/flink/f16s_v2.yaml} (64 slots, parallelism 64) on a standalone session
 * cluster, its JVM told it has the VM's 16 cores ({@code -XX:ActiveProcessorCount}), so the job
 * sizes its engine as on the VM (8 decoding loops), at reduced permits (16 images decoding at
 * once instead of 64; this machine has 2 cores and 24 GiB). One directory of images, so the
 * spread alone has to reach every slot.
 *
 * <pre>
 * VmShape OUT.md DIR...
 * </pre>
 *
 * Reports whether the job ended DONE with one row per image, the images held in slots at once
 * (from the rows: a row's {@code durationMs} runs from the slot taking the image, through the
 * wait for a permit, to its answer), how many subtasks of each 64-wide step received records
 * (Flink's REST API, after the job), the decoding-loop threads the TaskManager ran, and its
 * peak resident memory.
 *
 * System properties: {@code flinkConfig} (default runner-configs/flink/f16s_v2.yaml),
 * {@code vmCores} (16), {@code permits} (16), {@code copies} (each image this many times, 2),
 * {@code jobJar} (stage this jar instead of this JVM's classpath).
 */
public final class VmShape {

  private VmShape() {}

  public static void main(String[] args) throws Exception {
    Path report = Path.of(args[0]);
    List<String> dirs = List.of(args).subList(1, args.length);
    String config = System.getProperty("flinkConfig", "runner-configs/flink/f16s_v2.yaml");
    int vmCores = Integer.getInteger("vmCores", 16);
    int permits = Integer.getInteger("permits", 16);
    int copies = Integer.getInteger("copies", 2);
    Path work = Path.of("target/vm-shape").toAbsolutePath();
    FileTrees.deleteTree(work.resolve("data"));
    FileTrees.deleteTree(work.resolve("out"));
    Path plate = Files.createDirectories(work.resolve("data").resolve("images").resolve("plate"));
    int images = 0;
    for (int c = 0; c < copies; c++) {
      for (Path p : BenchImages.in(dirs)) {
        Files.copy(p, plate.resolve("c" + c + "-" + p.getFileName()));
        images++;
      }
    }
    int slots = 0;
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(config))) {
      if (line.startsWith("taskmanager.numberOfTaskSlots:")) {
        slots = Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
      // The VM's core count, as the job's sizing reads it (availableProcessors()).
      lines.add(line.startsWith("env.java.opts.taskmanager:")
          ? "env.java.opts.taskmanager: \"-XX:+ExitOnOutOfMemoryError -XX:ActiveProcessorCount="
              + vmCores + "\"" : line);
    }
    Path shaped = work.resolve("config.yaml");
    Files.createDirectories(work);
    Files.write(shaped, lines);
    String stage = System.getProperty("jobJar", "").isBlank() ? FlinkCluster.filesToStage()
        : Path.of(System.getProperty("jobJar")).toAbsolutePath().toString();

    StringBuilder md = new StringBuilder();
    try (FlinkCluster cluster = FlinkCluster.start(work, shaped)) {
      long tmPid = Long.parseLong(Files.readString(cluster.pidFile("tm-0")).strip());
      Path output = work.resolve("out");
      DecimerOptions options = PipelineArgs.withExtras(List.of(
          "--input=" + work.resolve("data").resolve("images") + "/", "--output=" + output + "/",
          "--runner=FlinkRunner", "--flinkMaster=localhost:" + cluster.restPort(),
          "--parallelism=" + slots, "--maxConcurrentInferences=" + permits,
          "--secondOpinion=none", "--progressInterval=30", "--filesToStage=" + stage));
      TaskManagerWatch watch = new TaskManagerWatch(tmPid);
      watch.start();
      long t0 = System.currentTimeMillis();
      PipelineResult.State state = RunCommand.run(options);
      long t1 = System.currentTimeMillis();
      watch.stop();

      Map<String, JsonNode> rows = FlinkOverhead.results(output);
      Map<String, Integer> statuses = new TreeMap<>();
      List<long[]> held = new ArrayList<>();
      for (JsonNode n : rows.values()) {
        statuses.merge(n.path("status").asText(), 1, Integer::sum);
        long end = n.path("finishedAt").asLong();
        held.add(new long[] {end - n.path("durationMs").asLong(), end});
      }
      int copiesAgree = copiesAgree(rows, copies);
      int[] peakAndMean = heldAtOnce(held);
      String jid = cluster.rest("/jobs/overview").path("jobs").get(0).path("jid").asText();
      JsonNode job = cluster.rest("/jobs/" + jid);

      md.append(String.format(Locale.ROOT, "VM shape on this machine, %s (load average at the"
          + " end %s)%n%n", LocalDate.now(), loadAverage()));
      md.append(String.format(Locale.ROOT, "- configuration: %s, its TaskManager told it has %d"
          + " cores; %d slots, --parallelism=%d, --maxConcurrentInferences=%d,"
          + " --secondOpinion=none%n", config, vmCores, slots, slots, permits));
      md.append(String.format(Locale.ROOT, "- job: %s in %.1f s; %d images in one directory,"
          + " %d rows %s; copies of an image with the same SMILES: %d of %d%n", state,
          (t1 - t0) / 1000.0, images, rows.size(), statuses, copiesAgree, images / copies));
      md.append(String.format(Locale.ROOT, "- images held in slots at once (from the rows):"
          + " peak %d of %d slots, time-weighted mean %d%n", peakAndMean[0], slots,
          peakAndMean[1]));
      md.append(String.format(Locale.ROOT, "- decoding-loop threads on the TaskManager: %d;"
          + " TaskManager peak RSS %,d MiB%n", watch.loops.get(), watch.peakRss.get() >> 20));
      md.append("- subtasks that received records, per step of the job (Flink REST):\n\n");
      md.append("| step | parallelism | subtasks with records | records in (min–max per"
          + " subtask) |\n|---|---|---|---|\n");
      for (JsonNode v : job.path("vertices")) {
        JsonNode detail = cluster.rest("/jobs/" + jid + "/vertices/" + v.path("id").asText());
        int withRecords = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (JsonNode s : detail.path("subtasks")) {
          long in = s.path("metrics").path("read-records").asLong();
          withRecords += in > 0 ? 1 : 0;
          min = Math.min(min, in);
          max = Math.max(max, in);
        }
        String name = v.path("name").asText().replaceAll("\\s+", " ").replace("|", "/");
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d–%d |%n",
            name.length() > 90 ? name.substring(0, 90) + "…" : name,
            v.path("parallelism").asInt(), withRecords, min == Long.MAX_VALUE ? 0 : min, max));
      }
    }
    System.out.print(md);
    Files.writeString(report, md.toString());
  }

  /** Pairs of copies (c0-NAME, c1-NAME, ...) whose rows have the same SMILES. */
  private static int copiesAgree(Map<String, JsonNode> rows, int copies) {
    int agree = 0;
    for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
      if (!e.getKey().startsWith("c0-")) {
        continue;
      }
      String smiles = e.getValue().path("smiles").asText(null);
      boolean all = smiles != null;
      for (int c = 1; c < copies && all; c++) {
        JsonNode other = rows.get("c" + c + "-" + e.getKey().substring(3));
        all = other != null && smiles.equals(other.path("smiles").asText(null));
      }
      agree += all ? 1 : 0;
    }
    return agree;
  }

  /** Peak and time-weighted mean of intervals open at once, over the first start to last end. */
  private static int[] heldAtOnce(List<long[]> intervals) {
    List<long[]> events = new ArrayList<>();
    for (long[] i : intervals) {
      events.add(new long[] {i[0], 1});
      events.add(new long[] {i[1], -1});
    }
    // Ends before starts at the same millisecond: a slot handing over is not two images.
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int open = 0;
    int peak = 0;
    double area = 0;
    long last = events.isEmpty() ? 0 : events.get(0)[0];
    for (long[] e : events) {
      area += (double) open * (e[0] - last);
      last = e[0];
      open += (int) e[1];
      peak = Math.max(peak, open);
    }
    long span = events.isEmpty() ? 1 : Math.max(1, last - events.get(0)[0]);
    return new int[] {peak, (int) Math.round(area / span)};
  }

  /** The TaskManager's peak RSS and most decoding-loop threads alive, every 200 ms. */
  private static final class TaskManagerWatch {
    final AtomicLong peakRss = new AtomicLong();
    final AtomicInteger loops = new AtomicInteger();
    private final long pid;
    private volatile boolean running;
    private Thread thread;

    TaskManagerWatch(long pid) {
      this.pid = pid;
    }

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
              if (line.startsWith("VmRSS:")) {
                peakRss.accumulateAndGet(Long.parseLong(line.replaceAll("[^0-9]", "")) << 10,
                    Math::max);
              }
            }
            int n = 0;
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
              for (Path t : tasks.toList()) {
                try {
                  n += Files.readString(t.resolve("comm")).startsWith("decimer-decode") ? 1 : 0;
                } catch (IOException ended) {
                  // The thread ended between the listing and the read.
                }
              }
            }
            loops.accumulateAndGet(n, Math::max);
            Thread.sleep(200);
          } catch (IOException e) {
            return;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }, "vm-shape-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}
