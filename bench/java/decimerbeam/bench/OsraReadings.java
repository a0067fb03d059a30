package decimerbeam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.Structures;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Measures OSRA (the GPL optical structure recognition program, 2.1.3 as Debian packages it) as a
 * possible third reader on the labelled real drawings: for each selected image beside its
 * reference molfile, OSRA's SMILES, its standard InChIKey, and the CPU and wall seconds the OSRA
 * process took. OSRA is GPL, so it is only ever run as a separate program (never linked); this is
 * a measurement, nothing in the pipeline calls it.
 *
 * <pre>OsraReadings OUT SET_DIR...</pre>
 *
 * One JSON line per image, appended to OUT; images already in OUT are skipped, so an interrupted
 * recording resumes. Each SET_DIR holds {@code NAME.tif} and {@code NAME.mol} (any case); the set
 * is named after the folder. System properties: {@code every} (default 5: the 1st, 6th, 11th ...
 * image of each set in name order, a fixed subset), {@code timeoutSeconds} (default 30, per image;
 * OSRA is killed past it), {@code concurrency} (default 1 OSRA process at a time, so that its CPU
 * seconds are not inflated by contention), {@code osra} (the program; default {@code osra} found
 * on PATH).
 *
 * <p>CPU seconds: the JDK cannot tell a child's CPU time once it has exited (ProcessHandle.Info's
 * totalCpuDuration is empty then, as /proc/PID is gone), so OSRA runs under GNU time
 * ({@code /usr/bin/time -o FILE -f "%U %S %e"}), which reports user+system seconds of OSRA
 * itself. On a timeout OSRA is killed first (so time still writes its report), with its CPU so far.
 */
public final class OsraReadings {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GNU_TIME = Path.of("/usr/bin/time");

  private OsraReadings() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: OsraReadings OUT SET_DIR...");
      System.exit(2);
    }
    Structures.requireInchi();
    Path osra = findOsra(System.getProperty("osra", "osra"));
    if (!Files.isExecutable(GNU_TIME)) {
      throw new IllegalStateException(GNU_TIME + " (GNU time) is missing; it measures OSRA's CPU "
          + "seconds: apt-get install time");
    }
    int every = Integer.getInteger("every", 5);
    int timeoutSeconds = Integer.getInteger("timeoutSeconds", 30);
    int concurrency = Integer.getInteger("concurrency", 1);
    Path out = Path.of(args[0]);
    List<RealImageReadings.Item> items = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      List<RealImageReadings.Item> set = RealImageReadings.labelled(Path.of(args[i]));
      for (int k = 0; k < set.size(); k += every) {
        items.add(set.get(k));
      }
    }
    Set<String> done = ReadingsFile.recorded(out);
    List<RealImageReadings.Item> todo = items.stream().filter(it -> !done.contains(it.id())).toList();
    System.err.printf("osra %s; every %d: %d images selected, %d recorded already, %d to read%n",
        osra, every, items.size(), items.size() - todo.size(), todo.size());
    long t0 = System.nanoTime();
    ReadingsFile.append(out, todo, concurrency, item -> read(item, osra, timeoutSeconds), n -> {
      if (n % 10 == 0 || n == todo.size()) {
        System.err.printf("%d / %d (%.1f s/img)%n", n, todo.size(),
            (System.nanoTime() - t0) / 1e9 / n);
      }
    });
  }

  static ObjectNode read(RealImageReadings.Item item, Path osra, int timeoutSeconds)
      throws IOException, InterruptedException {
    ObjectNode row = JSON.createObjectNode();
    row.put("set", item.set()).put("image", item.image().getFileName().toString());
    row.put("truthInchiKey", Structures.molfileInchiKey(
        Files.readString(item.molfile(), StandardCharsets.ISO_8859_1)));
    Path stdout = Files.createTempFile("osra-out", ".smi");
    Path stderr = Files.createTempFile("osra-err", ".txt");
    Path timing = Files.createTempFile("osra-time", ".txt");
    try {
      Process p = new ProcessBuilder(GNU_TIME.toString(), "-o", timing.toString(),
          "-f", "%U %S %e", osra.toString(), "-f", "smi", item.image().toString())
          .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      long w0 = System.nanoTime();
      boolean timedOut = !p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (timedOut) {
        // Kill OSRA (time's child) first: time then writes its report and exits on its own.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor();
        }
      }
      double wall = (System.nanoTime() - w0) / 1e9;
      int exit = p.exitValue();
      double cpu = cpuSeconds(timing);
      row.put("cpuSeconds", Math.round(cpu * 1000) / 1000.0)
          .put("wallSeconds", Math.round(wall * 1000) / 1000.0);
      List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(l -> !l.isEmpty()).toList();
      // A line is the SMILES, then whatever fields options add (none with plain -f smi).
      String smiles = lines.isEmpty() ? "" : lines.get(0).split("\\s+")[0];
      String status;
      if (timedOut) {
        status = "TIMEOUT";
      } else if (exit != 0) {
        status = "FAILED";
      } else if (lines.isEmpty()) {
        status = "EMPTY";
      } else if (lines.size() > 1) {
        // OSRA found several structures (fragments it did not join, a drawing with separate
        // parts, text read as a structure). The reference is one molfile; the first line is
        // kept as the reading, as a pipeline taking OSRA's answer unseen would, and the row is
        // marked so that such images can be looked at apart.
        status = "MULTIPLE";
      } else {
        status = "";
      }
      row.put("osraSmiles", smiles)
          .put("osraInchiKey", Structures.identify(smiles)
              .map(Structures.Identity::inchiKey).orElse(""))
          .put("osraStatus", status)
          .put("osraStructures", lines.size());
      if (exit != 0 && !timedOut) {
        String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        row.put("osraError", "exit " + exit + (err.isEmpty() ? ""
            : ": " + err.substring(0, Math.min(300, err.length()))));
      }
      return row;
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      Files.deleteIfExists(timing);
    }
  }

  /**
   * User + system seconds from GNU time's report; its last line is the format's, earlier lines
   * may say "Command exited with non-zero status" or "Command terminated by signal".
   */
  static double cpuSeconds(Path timing) throws IOException {
    List<String> lines = Files.readAllLines(timing, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.isEmpty()) {
      return Double.NaN;
    }
    String[] f = lines.get(lines.size() - 1).split("\\s+");
    try {
      return Double.parseDouble(f[0]) + Double.parseDouble(f[1]);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The OSRA program: a path as given, or the first executable of that name on PATH. */
  static Path findOsra(String name) {
    if (name.contains(File.separator)) {
      Path p = Path.of(name);
      if (Files.isExecutable(p)) {
        return p;
      }
    } else {
      String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, name);
          if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            return p;
          }
        }
      }
    }
    throw new IllegalStateException("OSRA program '" + name + "' not found (PATH="
        + System.getenv("PATH") + "); install it (Debian: apt-get install osra) or pass "
        + "-Dosra=/path/to/osra");
  }
}
