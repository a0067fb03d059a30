package decimerbeam.bench;

import decimerbeam.inference.Recognition;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.Recognizer;
import decimerbeam.inference.WorkingMemory;
import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.DecimerPipeline;
import decimerbeam.pipeline.RunCommand;
import decimerbeam.tools.FileTrees;
import decimerbeam.worker.RecognizerFactory;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Durable as it goes on the DirectRunner with the real model on real images (README "Durable as
 * it goes"): two directories of PER_DIR images each, the pipeline in a JVM of its own, sampled
 * every 15 s (images the model answered, rows durable: staged or in finished results), then
 * killed with SIGKILL after KILL_S seconds; the rows answered more than one checkpoint interval
 * before the kill must all be durable. The model's answers are counted by a recognizer that
 * wraps the DECIMER model and logs each answer's time, since the runner's own counters wait for
 * the end of a bundle too.
 *
 * <pre>DirectRunnerKill IMAGE_DIR PER_DIR KILL_S CHECKPOINT_S WORK_DIR</pre>
 */
public final class DirectRunnerKill {

  private DirectRunnerKill() {}

  /** The DECIMER model, each answer logged as its epoch millis. */
  record LoggedModel(RecognizerFactory model, String log) implements RecognizerFactory {
    @Override
    public String sharingKey(int concurrentInferences) {
      return "logged|" + model.sharingKey(concurrentInferences);
    }

    @Override
    public Recognizer create(int concurrentInferences) throws IOException {
      Recognizer r = model.create(concurrentInferences);
      return new Recognizer() {
        @Override
        public String modelId() {
          return r.modelId();
        }

        @Override
        public WorkingMemory workingMemory(byte[] image) throws RecognitionException {
          return r.workingMemory(image);
        }

        @Override
        public Recognition recognize(byte[] image) throws RecognitionException {
          return logged(r.recognize(image));
        }

        @Override
        public Recognition recognize(byte[] image, long timeoutMillis)
            throws RecognitionException {
          return logged(r.recognize(image, timeoutMillis));
        }

        private Recognition logged(Recognition answer) {
          try {
            Files.writeString(Path.of(log), System.currentTimeMillis() + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          return answer;
        }

        @Override
        public void close() {
          r.close();
        }
      };
    }

    @Override
    public String identity() {
      return model.identity();
    }

    @Override
    public int imagesInFlightPerCore() {
      return model.imagesInFlightPerCore();
    }

    @Override
    public String describe() {
      return "logged " + model.describe();
    }
  }

  /** The run to be killed: the command's options, the model wrapped to log its answers. */
  public static final class Run {
    public static void main(String[] args) throws Exception {
      PipelineOptionsFactory.register(DecimerOptions.class);
      DecimerOptions o = PipelineOptionsFactory.fromArgs(args).withValidation()
          .as(DecimerOptions.class);
      RunCommand.launch(o, new LoggedModel(DecimerPipeline.decimerModel(o),
          System.getProperty("answers.log")));
    }
  }

  public static void main(String[] args) throws Exception {
    Path images = Path.of(args[0]);
    int perDir = Integer.parseInt(args[1]);
    int killAfter = Integer.parseInt(args[2]);
    int checkpoint = Integer.parseInt(args[3]);
    Path work = Path.of(args[4]).toAbsolutePath();
    Path in = work.resolve("in");
    Path out = work.resolve("out");
    Path log = work.resolve("answers.log");
    for (Path p : List.of(in, out, log)) {
      FileTrees.deleteTree(p);
    }
    List<Path> sources;
    try (Stream<Path> s = Files.list(images)) {
      sources = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
          .matches(".*\\.(png|tif|tiff|jpg|jpeg|gif)")).sorted().toList();
    }
    for (String dir : List.of("left", "right")) {
      Files.createDirectories(in.resolve(dir));
      for (int i = 0; i < perDir; i++) {
        Path src = sources.get((i + (dir.equals("left") ? 0 : perDir)) % sources.size());
        Files.copy(src, in.resolve(dir).resolve(i + "-" + src.getFileName()));
      }
    }
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Danswers.log=" + log, "-cp", System.getProperty("java.class.path"),
        Run.class.getName(), "--input=" + in + "/", "--output=" + out + "/",
        "--checkpointInterval=" + checkpoint, "--secondOpinion=none", "--progressInterval=60");
    Process run = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(work.resolve("run.log").toFile()).start();
    long start = System.currentTimeMillis();
    System.out.printf(Locale.ROOT, "| s | images answered | rows durable |%n|---|---|---|%n");
    while (run.isAlive() && System.currentTimeMillis() - start < killAfter * 1000L) {
      run.waitFor(15, TimeUnit.SECONDS);
      System.out.printf(Locale.ROOT, "| %d | %d | %d |%n",
          (System.currentTimeMillis() - start) / 1000, answers(log).size(), durable(out));
    }
    long killedAt = System.currentTimeMillis();
    boolean alive = run.isAlive();
    run.destroyForcibly();
    run.waitFor();
    List<Long> answered = answers(log);
    long older = answered.stream().filter(t -> t <= killedAt - checkpoint * 1000L).count();
    int kept = durable(out);
    System.out.printf(Locale.ROOT, "%n%s, %s, %d cores: %d images in 2 directories, killed %s after %d s:"
        + " %d answered, %d of them more than %d s (one checkpoint interval) before the kill,"
        + " %d rows durable%n", LocalDate.now(), InetAddress.getLocalHost().getHostName(),
        Runtime.getRuntime().availableProcessors(), 2 * perDir,
        alive ? "with SIGKILL" : "(it had ended)", (killedAt - start) / 1000, answered.size(),
        older, checkpoint, kept);
  }

  private static List<Long> answers(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<Long> times = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (!line.isBlank()) {
        times.add(Long.parseLong(line.strip()));
      }
    }
    return times;
  }

  /** Rows durable: in staged files, or in the results of a finished directory. */
  private static int durable(Path out) throws IOException {
    if (!Files.exists(out)) {
      return 0;
    }
    Set<String> rows = new HashSet<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(f).toString();
        boolean staged = rel.contains("/_staging/") && rel.endsWith(".jsonl");
        boolean finished = rel.endsWith("/results.jsonl")
            && Files.exists(f.resolveSibling("summary.json"));
        if (staged || finished) {
          String dir = staged ? rel.substring(0, rel.indexOf("/_staging/"))
              : rel.substring(0, rel.lastIndexOf('/'));
          for (String line : Files.readAllLines(f)) {
            int at = line.indexOf("\"image\":\"");
            if (at >= 0) {
              rows.add(dir + "/" + line.substring(at + 9, line.indexOf('"', at + 9)));
            }
          }
        }
      }
    }
    return rows.size();
  }
}
