package decimerbeam.bench;

import static decimerbeam.bench.OverheadFigures.cores;
import static decimerbeam.bench.OverheadFigures.loadAverage;
import static decimerbeam.bench.OverheadFigures.round2;
import static decimerbeam.bench.OverheadFigures.round3;
import static decimerbeam.bench.OverheadFigures.sameSmiles;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.Recognizer;
import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.DecimerPipeline;
import decimerbeam.pipeline.RunCommand;
import decimerbeam.tools.FileTrees;
import decimerbeam.tools.FlinkCluster;
import decimerbeam.worker.DecimerModel;
import decimerbeam.worker.SharedRecognizers;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;

/**
 * Benchmark 2 on Flink: the raw engine loop in a JVM of its own, then the whole pipeline on a
 * standalone Flink session cluster on this machine (tools/flink-cluster.sh, one TaskManager of
 * {@code runner-configs/flink/local-2core.yaml}), over the same images from a local folder, with
 * and without the second reader.
 *
 * <pre>
 * FlinkOverhead raw   OUT.jsonl RAW-SMILES.json DIR...   the raw engine loop (this JVM)
 * FlinkOverhead flink OUT.jsonl RAW-SMILES.json DIR...   the cluster, then the table
 * </pre>
 *
 * The raw side loads the model (not timed), runs the loop once on the cold engine (the first
 * images pay TensorFlow's first runs and the JIT, as a job's first images do), then a warm-up
 * image and the loop again: the figure benchmark 2 compares against. Its SMILES go to
 * RAW-SMILES.json for the cluster side.
 *
 * A job's time is taken from its rows, from the first image's start (a row's {@code finishedAt}
 * less its {@code durationMs}) to the last row's {@code finishedAt}: the model load at the job's
 * start (each job loads its own: the model is shared within a job's class loader and closed at
 * its end) and the launch, listing and end-of-run writing are outside it. The TaskManager's CPU
 * over that window comes from its /proc/PID/stat, sampled every 100 ms and interpolated at the
 * window's ends; the machine's busy share likewise from /proc/stat.
 *
 * System properties: {@code pipelineArgs} (extra options for both jobs), {@code flinkConfig}
 * (the cluster's configuration, default runner-configs/flink/local-2core.yaml), {@code jobJar}
 * (stage this jar instead of this JVM's classpath), {@code seconds} (the second readers to run,
 * default "none,molvec"), {@code tmJfr} (a file: a flight recording of the TaskManager over the
 * jobs, JFR's profile settings), {@code copies} (each image read that many times, default 1),
 * {@code passes} (the raw loop's passes, default "cold,warm").
 */
public final class FlinkOverhead {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FlinkOverhead() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[1]);
    Path rawSmilesFile = Path.of(args[2]);
    List<String> dirs = List.of(args).subList(3, args.length);
    switch (args[0]) {
      case "raw" -> raw(out, rawSmilesFile, dirs);
      case "flink" -> flink(out, rawSmilesFile, dirs);
      default -> throw new IllegalArgumentException("raw or flink, not " + args[0]);
    }
  }

  private static void raw(Path out, Path rawSmilesFile, List<String> dirs) throws Exception {
    List<Path> images = BenchImages.in(dirs);
    List<String> names = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    for (int c = 0; c < copies(); c++) {
      for (Path p : images) {
        names.add(copyName(c, p));
        bytes.add(Files.readAllBytes(p));
      }
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    DecimerOptions defaults = PipelineArgs.parse(List.of("--input=unused/", "--output=unused/"));
    DecimerModel model = DecimerPipeline.decimerModel(defaults);
    int concurrency = DecimerPipeline.capacityHere(defaults, model).permits();
    EngineSettings settings = model.engineSettings(concurrency);
    long l0 = System.nanoTime();
    Recognizer engine = SharedRecognizers.acquire(model, concurrency);
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    List<ObjectNode> rows = new ArrayList<>();
    Map<String, String> cold = null;
    Map<String, String> warm = null;
    for (String pass : System.getProperty("passes", "cold,warm").split(",")) {
      double warmUpSeconds = 0;
      if (pass.equals("warm")) {
        long w0 = System.nanoTime();
        engine.recognize(bytes.get(0));
        warmUpSeconds = (System.nanoTime() - w0) / 1e9;
      }
      MachineCpu m0 = MachineCpu.now();
      long self = ProcessHandle.current().pid();
      long ticks0 = ProcessCpu.ticks(self);
      Map<Long, ThreadStat> threads0 = threadTicks(self);
      // Names the JVM's threads 8 s into the pass, while the loop runs.
      var jvmNames = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          Thread.sleep(8000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return jvmThreads(self);
      });
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      Map<String, String> smiles = EngineLoop.run(engine, names, bytes, concurrency);
      Map<Long, ThreadStat> threads1 = threadTicks(self);
      long ticks1 = ProcessCpu.ticks(self);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      double busy = MachineCpu.now().busyPercentSince(m0);
      if (pass.equals("cold")) {
        cold = smiles;
      } else {
        warm = smiles;
      }
      ObjectNode r = JSON.createObjectNode();
      r.put("mode", "raw engine loop, " + concurrency + " threads, " + pass)
          .put("runner", "none").put("pass", pass).put("concurrency", concurrency)
          .put("intraOpThreads", settings.intraOpThreads())
          .put("interOpThreads", settings.interOpThreads())
          .put("heapMaxMib", Runtime.getRuntime().maxMemory() >> 20)
          .put("modelLoadSeconds", round2(loadSeconds))
          .put("warmUpImageSeconds", round2(warmUpSeconds))
          .put("images", names.size()).put("recognized", smiles.size())
          .put("wallSeconds", round2(wall)).put("imagesPerSecond", round3(names.size() / wall))
          .put("cpuSecondsPerImage", round3(cpu / names.size()))
          .put("cpuPercentOfCores", round2(100 * cpu / (wall * cores())))
          .put("machineBusyPercent", round2(busy))
          .put("loadAverage", loadAverage());
      // The loop's pool threads end with the loop, so they are not in the later snapshot.
      r.set("threadCpuSecondsPerImage", threadCpuPerImage(threads0, threads1, ticks1 - ticks0,
          jvmNames.get(), bytes.size()));
      rows.add(r);
      System.err.printf(Locale.ROOT, "raw engine loop (%s): %.3f img/s, %.3f CPU-s/image%n",
          pass, names.size() / wall, cpu / names.size());
    }
    // Rows compare to the warm pass's SMILES; the cold pass must give the same.
    for (ObjectNode r : rows) {
      Map<String, String> smiles = r.get("pass").asText().equals("cold") ? cold : warm;
      r.put("sameSmilesAsRaw", sameSmiles(smiles, warm));
    }
    append(out, rows);
    JSON.writeValue(rawSmilesFile.toFile(), warm);
    if (SharedRecognizers.release(engine)) {
      engine.close();
    }
  }

  private static void flink(Path out, Path rawSmilesFile, List<String> dirs) throws Exception {
    Map<String, String> raw = JSON.readValue(rawSmilesFile.toFile(),
        new TypeReference<TreeMap<String, String>>() {});
    Path work = Path.of("target/flink-overhead").toAbsolutePath();
    Path data = work.resolve("data").resolve("images");
    for (Path p : List.of(work.resolve("data"), work.resolve("out-none"),
        work.resolve("out-molvec"))) {
      FileTrees.deleteTree(p);
    }
    int images = 0;
    for (String dir : dirs) {
      Path to = Files.createDirectories(data.resolve(Path.of(dir).getFileName()));
      for (int c = 0; c < copies(); c++) {
        for (Path p : BenchImages.in(List.of(dir))) {
          Files.copy(p, to.resolve(copyName(c, p)));
          images++;
        }
      }
    }
    String config = System.getProperty("flinkConfig", "runner-configs/flink/local-2core.yaml");
    String stage = System.getProperty("jobJar", "").isBlank() ? FlinkCluster.filesToStage()
        : Path.of(System.getProperty("jobJar")).toAbsolutePath().toString();
    List<ObjectNode> rows = new ArrayList<>();
    try (FlinkCluster cluster = FlinkCluster.start(work, Path.of(config))) {
      long tmPid = Long.parseLong(Files.readString(cluster.pidFile("tm-0")).strip());
      long jmPid = Long.parseLong(Files.readString(cluster.pidFile("jm")).strip());
      String jfr = System.getProperty("tmJfr", "");
      if (!jfr.isBlank()) {
        jcmd(tmPid, "JFR.start", "name=flink-overhead", "settings=profile");
      }
      for (String second : System.getProperty("seconds", "none,molvec").split(",")) {
        Path output = work.resolve("out-" + second);
        DecimerOptions options = PipelineArgs.withExtras(List.of("--input=" + data + "/",
            "--output=" + output + "/", "--runner=FlinkRunner",
            "--flinkMaster=localhost:" + cluster.restPort(), "--parallelism=8",
            "--progressInterval=30", "--secondOpinion=" + second, "--filesToStage=" + stage));
        Sampler sampler = new Sampler(tmPid);
        sampler.start();
        long jm0 = ProcessCpu.ticks(jmPid);
        long t0 = System.currentTimeMillis();
        PipelineResult.State state = RunCommand.run(options);
        long t1 = System.currentTimeMillis();
        long jm1 = ProcessCpu.ticks(jmPid);
        sampler.stop();
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the job ended " + state);
        }
        Map<String, JsonNode> jobRows = results(output);
        Map<String, String> smiles = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = 0;
        for (JsonNode n : jobRows.values()) {
          if (n.path("status").asText().equals("RECOGNIZED")) {
            smiles.put(n.path("image").asText(), n.path("smiles").asText());
          }
          long finished = n.path("finishedAt").asLong();
          first = Math.min(first, finished - n.path("durationMs").asLong());
          last = Math.max(last, finished);
        }
        double window = (last - first) / 1000.0;
        double tmCpu = sampler.cpuSecondsBetween(first, last);
        ObjectNode r = JSON.createObjectNode();
        r.put("mode", "pipeline (Flink cluster, local folder), --secondOpinion=" + second)
            .put("runner", "flink").put("secondOpinion", second).put("parallelism", 8)
            .put("config", config).put("staged", stage.contains(",") ? "classpath" : stage)
            .put("images", images).put("rows", jobRows.size()).put("recognized", smiles.size())
            .put("sameSmilesAsRaw", sameSmiles(smiles, raw))
            .put("jobSeconds", round2((t1 - t0) / 1000.0))
            .put("firstStartToLastRowSeconds", round2(window))
            .put("secondsBeforeFirstImage", round2((first - t0) / 1000.0))
            .put("imagesPerSecond", round3(images / window))
            .put("cpuSecondsPerImage", round3(tmCpu / images))
            .put("tmCpuPercentOfCores", round2(100 * tmCpu / (window * cores())))
            .put("tmCpuSecondsWholeJob", round2(sampler.cpuSecondsBetween(t0, t1)))
            .put("jmCpuSecondsWholeJob", round2((jm1 - jm0) / ProcessCpu.HZ))
            .put("machineBusyPercent", round2(sampler.busyPercentBetween(first, last)))
            .put("loadAverage", loadAverage());
        r.set("tmThreadCpuSecondsPerImage", sampler.threadCpuPerImage(first, last, images));
        rows.add(r);
        System.err.printf(Locale.ROOT, "%s: %.3f img/s, %.3f CPU-s/image%n",
            r.get("mode").asText(), images / window, tmCpu / images);
      }
      if (!jfr.isBlank()) {
        jcmd(tmPid, "JFR.dump", "name=flink-overhead",
            "filename=" + Path.of(jfr).toAbsolutePath());
      }
    }
    append(out, rows);
    List<ObjectNode> all = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      if (!line.isBlank()) {
        all.add((ObjectNode) JSON.readTree(line));
      }
    }
    printTable(all);
  }

  /** Runs {@code jcmd PID ARGS} (the TaskManager's flight recording, -DtmJfr=FILE). */
  private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("jcmd", String.valueOf(pid)));
    cmd.addAll(List.of(args));
    // Just after the TaskManager registered, its JVM may not know the JFR commands yet.
    for (int attempt = 1; ; attempt++) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes());
      System.err.print(text);
      if (p.waitFor() == 0 && !text.contains("Exception")) {
        return;
      }
      if (attempt == 10) {
        throw new IOException("jcmd " + String.join(" ", args) + " failed: " + text);
      }
      Thread.sleep(3000);
    }
  }

  /** How many times each image is read: {@code -Dcopies=N}, default 1, to time larger runs. */
  private static int copies() {
    return Integer.getInteger("copies", 1);
  }

  /** An image's name in copy {@code c}: its own for the first, prefixed "cN-" after. */
  private static String copyName(int c, Path image) {
    return (c == 0 ? "" : "c" + c + "-") + image.getFileName();
  }

  /** image name → row of every results.jsonl under {@code output}. */
  static Map<String, JsonNode> results(Path output) throws IOException {
    Map<String, JsonNode> rows = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(output)) {
      files = s.filter(p -> p.getFileName().toString().equals("results.jsonl")).toList();
    }
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          if (rows.put(n.path("image").asText(), n) != null) {
            throw new IllegalStateException("two rows for " + n.path("image").asText());
          }
        }
      }
    }
    return rows;
  }

  private static void printTable(List<ObjectNode> rows) {
    System.out.println("| run | img/s | × raw engine (warm) | CPU s / image | × raw CPU s "
        + "| process CPU % of cores | machine busy % | rows RECOGNIZED | same SMILES as raw |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    double rawIps = 0;
    double rawCpu = 0;
    for (ObjectNode r : rows) {
      if (r.path("pass").asText().equals("warm")) {
        rawIps = r.get("imagesPerSecond").asDouble();
        rawCpu = r.get("cpuSecondsPerImage").asDouble();
      }
    }
    for (ObjectNode r : rows) {
      double ips = r.get("imagesPerSecond").asDouble();
      double cpu = r.get("cpuSecondsPerImage").asDouble();
      double pct = r.has("cpuPercentOfCores") ? r.get("cpuPercentOfCores").asDouble()
          : r.get("tmCpuPercentOfCores").asDouble();
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.2f | %.2f | %.2f | %.1f | %.1f | %d / %d"
          + " | %d / %d |%n", r.get("mode").asText(), ips, ips / rawIps, cpu, cpu / rawCpu, pct,
          r.get("machineBusyPercent").asDouble(), r.get("recognized").asInt(),
          r.get("images").asInt(), r.get("sameSmilesAsRaw").asInt(), r.get("recognized").asInt());
    }
  }

  private static void append(Path out, List<ObjectNode> rows) throws IOException {
    try (PrintStream p = new PrintStream(Files.newOutputStream(out, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND), true, "UTF-8")) {
      for (ObjectNode r : rows) {
        p.println(JSON.writeValueAsString(r));
      }
    }
  }

  /** A process's user + system CPU time, from /proc/PID/stat, in clock ticks. */
  static final class ProcessCpu {
    /** USER_HZ, 100 on Linux x86-64. */
    static final double HZ = 100.0;

    private ProcessCpu() {}

    static long ticks(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
      }
    }
  }

  /** CPU ticks of one thread and its kernel name (15 characters). */
  record ThreadStat(String comm, long ticks) {}

  /** CPU ticks of a process's threads, by thread id, from /proc/PID/task/TID/stat. */
  static Map<Long, ThreadStat> threadTicks(long pid) {
    Map<Long, ThreadStat> byTid = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byTid.put(Long.parseLong(t.getFileName().toString()),
              new ThreadStat(comm, Long.parseLong(f[11]) + Long.parseLong(f[12])));
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/" + pid + "/task", e);
    }
    return byTid;
  }

  /**
   * The JVM's own threads (Java threads and the VM's) of a process, native thread id → name,
   * from {@code jcmd PID Thread.print}; every other thread of the process was started by native
   * code (TensorFlow's pools).
   */
  static Map<Long, String> jvmThreads(long pid) {
    Map<Long, String> names = new TreeMap<>();
    try {
      Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "Thread.print")
          .redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("(?m)^\"(.*)\"[^\n]* nid=0x([0-9a-f]+)").matcher(text);
      while (m.find()) {
        names.put(Long.parseLong(m.group(2), 16), m.group(1));
      }
    } catch (IOException e) {
      System.err.println("jcmd Thread.print failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return names;
  }

  /**
   * A thread's group: its name in the thread dump (digits as N, cut at 48); a thread the dump
   * does not list (TensorFlow's, named after the thread that loaded the model, or one started
   * after the dump) by its kernel name.
   */
  private static String group(long tid, String comm, Map<Long, String> jvm) {
    String java = jvm.get(tid);
    String name = java != null ? java : "not in the thread dump, named " + comm;
    name = name.replaceAll("[0-9]+", "N");
    return name.length() > 48 ? name.substring(0, 48) + "..." : name;
  }

  /**
   * CPU seconds per image by thread group between two snapshots, largest first; threads that
   * ended in between are missing from the later one and counted together from the process's
   * own counter.
   */
  static ObjectNode threadCpuPerImage(Map<Long, ThreadStat> before, Map<Long, ThreadStat> after,
      long processTicks, Map<Long, String> jvm, int images) {
    Map<String, Long> groups = new TreeMap<>();
    long listed = 0;
    for (var e : after.entrySet()) {
      ThreadStat b = before.get(e.getKey());
      long v = e.getValue().ticks() - (b == null ? 0 : b.ticks());
      if (v > 0) {
        groups.merge(group(e.getKey(), e.getValue().comm(), jvm), v, Long::sum);
        listed += v;
      }
    }
    if (processTicks > listed) {
      groups.put("(threads that ended)", processTicks - listed);
    }
    List<Map.Entry<String, Long>> d = new ArrayList<>(groups.entrySet());
    d.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    ObjectNode n = JSON.createObjectNode();
    for (var e : d) {
      n.put(e.getKey(), round3(e.getValue() / ProcessCpu.HZ / images));
    }
    return n;
  }

  /**
   * Samples a process's CPU ticks and the machine's CPU every 100 ms, with the wall time, and
   * its threads' CPU every second; names the JVM's threads once, 8 s after a decoding loop's
   * thread appeared.
   */
  static final class Sampler {
    private record Sample(long millis, long processTicks, MachineCpu machine) {}

    private record Threads(long millis, long processTicks, Map<Long, ThreadStat> ticks) {}

    private final long pid;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<Threads> threads = new CopyOnWriteArrayList<>();
    private volatile Map<Long, String> jvm = Map.of();
    private volatile long recognisingSince;
    private volatile boolean running;
    private Thread thread;

    Sampler(long pid) {
      this.pid = pid;
    }

    void start() {
      running = true;
      thread = new Thread(() -> {
        for (int i = 0; running; i++) {
          if (i % 10 == 0) {
            Map<Long, ThreadStat> ticks = threadTicks(pid);
            threads.add(new Threads(System.currentTimeMillis(), ProcessCpu.ticks(pid), ticks));
            // Once the job's model is up and its images run (its decoding loop exists), name
            // the JVM's threads, once: the others are TensorFlow's.
            if (recognisingSince == 0 && ticks.values().stream()
                .anyMatch(t -> t.comm().startsWith("decimer-decode"))) {
              recognisingSince = System.currentTimeMillis();
            }
            if (recognisingSince > 0 && jvm.isEmpty()
                && System.currentTimeMillis() - recognisingSince > 8000) {
              jvm = jvmThreads(pid);
            }
          }
          samples.add(new Sample(System.currentTimeMillis(), ProcessCpu.ticks(pid),
              MachineCpu.now()));
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "flink-overhead-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
      threads.add(new Threads(System.currentTimeMillis(), ProcessCpu.ticks(pid),
          threadTicks(pid)));
      samples.add(new Sample(System.currentTimeMillis(), ProcessCpu.ticks(pid),
          MachineCpu.now()));
    }

    /**
     * CPU per image by thread name between the thread snapshots nearest to two instants (taken
     * once a second).
     */
    ObjectNode threadCpuPerImage(long fromMillis, long toMillis, int images) {
      // The snapshots just inside the window: the job closes its model (and TensorFlow's
      // threads end) right after its last row.
      Threads a = threads.stream().filter(t -> t.millis() >= fromMillis).findFirst()
          .orElseThrow();
      Threads b = threads.stream().filter(t -> t.millis() <= toMillis)
          .reduce((x, y) -> y).orElseThrow();
      // Each thread as last seen, so threads that end inside the window lose under a second.
      Map<Long, ThreadStat> last = new TreeMap<>();
      for (Threads t : threads) {
        if (t.millis() >= a.millis() && t.millis() <= b.millis()) {
          last.putAll(t.ticks());
        }
      }
      // Scaled to the whole window's CPU, so the groups add up to the row's CPU per image.
      double scale = cpuSecondsBetween(fromMillis, toMillis)
          / ((b.processTicks() - a.processTicks()) / ProcessCpu.HZ);
      ObjectNode n = FlinkOverhead.threadCpuPerImage(a.ticks(), last,
          b.processTicks() - a.processTicks(), jvm, images);
      ObjectNode scaled = JSON.createObjectNode();
      n.fields().forEachRemaining(e -> scaled.put(e.getKey(),
          round3(e.getValue().asDouble() * scale)));
      return scaled;
    }

    /** The process's CPU seconds between two wall-clock instants, interpolated. */
    double cpuSecondsBetween(long fromMillis, long toMillis) {
      return (at(toMillis, 0) - at(fromMillis, 0)) / ProcessCpu.HZ;
    }

    /** Percent of all cores busy between two wall-clock instants, interpolated. */
    double busyPercentBetween(long fromMillis, long toMillis) {
      double total = at(toMillis, 2) - at(fromMillis, 2);
      return total == 0 ? 0 : 100 * (at(toMillis, 1) - at(fromMillis, 1)) / total;
    }

    /** Counter {@code which} (0 process ticks, 1 machine busy, 2 machine total) at a time. */
    private double at(long millis, int which) {
      Sample before = samples.get(0);
      for (Sample s : samples) {
        if (s.millis() >= millis) {
          if (s == before || s.millis() == before.millis()) {
            return value(s, which);
          }
          double f = (double) (millis - before.millis()) / (s.millis() - before.millis());
          return value(before, which) + f * (value(s, which) - value(before, which));
        }
        before = s;
      }
      return value(before, which);
    }

    private static double value(Sample s, int which) {
      return switch (which) {
        case 0 -> s.processTicks();
        case 1 -> s.machine().busyTicks();
        default -> s.machine().totalTicks();
      };
    }
  }
}
