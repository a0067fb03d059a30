package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The JSONL file a recording benchmark (RealImageReadings, RealImageAlternatives, OsraReadings)
 * writes, one line per image with its {@code set} and {@code image}: each line is appended as
 * soon as its image is read, so that an interrupted recording resumes where it stopped instead
 * of reading every image again.
 */
final class ReadingsFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReadingsFile() {}

  /** Reads one item into its JSON line. */
  interface Reading<T> {
    ObjectNode read(T item) throws Exception;
  }

  /** The "set/image" ids {@code out} already holds; none when it does not exist yet. */
  static Set<String> recorded(Path out) throws IOException {
    Set<String> ids = new HashSet<>();
    if (Files.exists(out)) {
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          ids.add(n.get("set").asText() + "/" + n.get("image").asText());
        }
      }
    }
    return ids;
  }

  /**
   * Reads {@code todo} on {@code concurrency} threads and appends each line to {@code out},
   * flushed, as soon as it is read; calls {@code progress} with how many are done after each.
   */
  static <T> void append(Path out, List<T> todo, int concurrency, Reading<T> reading,
      IntConsumer progress) throws Exception {
    AtomicInteger finished = new AtomicInteger();
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      Workers.forEachIndex(todo.size(), concurrency, i -> {
        ObjectNode row = reading.read(todo.get(i));
        // One writer, whole lines: a line is never interleaved with another's.
        synchronized (w) {
          w.write(JSON.writeValueAsString(row));
          w.newLine();
          w.flush();
        }
        progress.accept(finished.incrementAndGet());
      });
    }
  }
}
