package decimerbeam.bench;

import decimerbeam.tools.StorageRequestKind;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the storage calls Azurite answered, by kind, from its access log: a benchmark marks the
 * log's length before the part it times and counts the lines written after it.
 */
final class AzuriteAccessLog {

  // 127.0.0.1 - - [29/Nov/2026:20:32:28 +0000] "GET /devstoreaccount1?comp=list HTTP/1.1" 200 -
  private static final Pattern REQUEST = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\"");

  private AzuriteAccessLog() {}

  /** The access log's length now: where the counted part starts. */
  static long mark(Path log) throws IOException {
    return Files.size(log);
  }

  /** Calls logged after {@code from}, by kind, classified as the test proxy classifies them. */
  static Map<String, Long> since(Path log, long from) throws IOException {
    Map<String, Long> calls = new TreeMap<>();
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      f.seek(from);
      byte[] rest = new byte[(int) (f.length() - from)];
      f.readFully(rest);
      for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
        Matcher m = REQUEST.matcher(line);
        if (m.find()) {
          String kind = StorageRequestKind.of(m.group(1), m.group(2)).name();
          calls.merge(kind.toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
      }
    }
    return calls;
  }
}
