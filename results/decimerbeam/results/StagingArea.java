package decimerbeam.results;

import decimerbeam.storage.BlobStore;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.ListedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory's staged rows: {@code <output>/<directory>/_staging/<key>/} holds row files in
 * results.jsonl's format (plus each row's thumbnail), each written in one step and named
 * {@code <millis>-<run tag>-<writer>-<seq>-n<rows>.jsonl}, so that a listing alone tells how
 * many rows are staged and which run staged them, and names sort by time.
 */
public final class StagingArea {

  /**
   * The directory's listing ({@link ListedFiles}), staged beside its rows so whoever finishes
   * it can record in summary.json the files the rows were made from.
   */
  static final String LISTING = "listing.json";

  /** The run tag of the rows a retry carries over from the results it retries. */
  public static final String PREVIOUS = "previous";

  private static final Pattern NAME =
      Pattern.compile("(\\d{13})-([0-9a-z]+)-([0-9a-z]+)-(\\d+)-n(\\d+)\\.jsonl");

  /** One staged row file. */
  public record StagedFile(FileEntry entry, String runTag, int rows) {}

  /** A staged row and the run that staged it. */
  public record StagedRow(ImageResult row, String runTag) {}

  private StagingArea() {}

  /** Writes {@code rows} as one new staged file of {@code work}; returns its location. */
  public static Location write(BlobStore store, DirectoryWork work, String runTag, String writer,
      long seq, List<ImageResult> rows) throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (ImageResult r : rows) {
      jsonl.append(ResultJson.toStagedLine(r)).append('\n');
    }
    String name = String.format("%013d-%s-%s-%06d-n%d.jsonl", System.currentTimeMillis(),
        runTag, writer, seq, rows.size());
    Location file = work.stagingFolder().resolve(name);
    store.writeAtomically(file, jsonl.toString().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** Stages the listing the rows of {@code work} are made from. */
  public static void writeListing(BlobStore store, DirectoryWork work, List<FileEntry> files)
      throws IOException {
    store.writeAtomically(work.stagingFolder().resolve(LISTING),
        ResultJson.MAPPER.writeValueAsBytes(ListedFiles.toJson(files)));
  }

  /** The staged listing of {@code work}; empty when none was staged (or it is gone). */
  static Optional<List<FileEntry>> readListing(BlobStore store, DirectoryWork work)
      throws IOException {
    Optional<byte[]> bytes = store.readIfExists(work.stagingFolder().resolve(LISTING));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ListedFiles.fromJson(ResultJson.MAPPER.readTree(bytes.get()),
        work.directory()));
  }

  /** The staged files of this run's staging key, oldest first; none when the folder is absent. */
  public static List<StagedFile> list(BlobStore store, DirectoryWork work) throws IOException {
    List<StagedFile> files = new ArrayList<>();
    BlobStore.Level level;
    try {
      level = store.listLevel(work.stagingFolder());
    } catch (NoSuchFileException absent) {
      return files;
    }
    for (FileEntry f : level.files()) {
      Matcher m = NAME.matcher(f.name());
      if (m.matches()) {
        files.add(new StagedFile(f, m.group(2), Integer.parseInt(m.group(5))));
      }
    }
    files.sort(Comparator.comparing(f -> f.entry().name()));
    return files;
  }

  /** Rows the file names announce (duplicates included). */
  static long announcedRows(List<StagedFile> files) {
    return files.stream().mapToLong(StagedFile::rows).sum();
  }

  /**
   * For each image with a staged READ_ERROR row, the runs that staged one: how many runs storage
   * would not give it to. A file that vanished while reading (another worker finished the
   * directory) is passed over.
   */
  static Map<String, Set<String>> unreadRuns(BlobStore store, List<StagedFile> files)
      throws IOException {
    Map<String, Set<String>> runs = new HashMap<>();
    for (StagedFile f : files) {
      Optional<byte[]> bytes = store.readIfExists(f.entry().location());
      if (bytes.isPresent()) {
        for (ImageResult r : ResultJson.readRows(
            new String(bytes.get(), StandardCharsets.UTF_8))) {
          if (r.unread()) {
            runs.computeIfAbsent(r.image(), k -> new HashSet<>()).add(f.runTag());
          }
        }
      }
    }
    return runs;
  }

  /**
   * The staged rows by image name, a later file's row replacing an earlier one's; empty when a
   * file vanished while reading (another worker finished the directory).
   */
  public static Optional<Map<String, StagedRow>> read(BlobStore store, List<StagedFile> files)
      throws IOException {
    Map<String, StagedRow> rows = new LinkedHashMap<>();
    for (StagedFile f : files) {
      Optional<byte[]> bytes = store.readIfExists(f.entry().location());
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      for (ImageResult r : ResultJson.readRows(new String(bytes.get(), StandardCharsets.UTF_8))) {
        rows.put(r.image(), new StagedRow(r, f.runTag()));
      }
    }
    return Optional.of(rows);
  }
}
