package decimerbeam.results;

import decimerbeam.report.DirectorySummary;
import decimerbeam.report.ReviewDigest;
import decimerbeam.report.ReviewEntry;
import decimerbeam.report.ReviewPage;
import decimerbeam.report.ReviewedRow;
import decimerbeam.report.StructureDepiction;
import decimerbeam.results.StagingArea.StagedFile;
import decimerbeam.results.StagingArea.StagedRow;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.ListedFiles;
import decimerbeam.work.RunIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a directory's final files from everything durable about it: the rows of earlier
 * results made over the same listing (another run finished it meanwhile), the staged rows, and
 * the rows this run still holds. The
 * order makes every state a crash can leave safe: an old summary.json is removed first, then
 * results.jsonl is written, then summary.json (the one "done" marker), and only then is the
 * staging folder removed, so an unfinished directory always keeps its rows staged. A directory
 * with an image storage would not give us ({@link ImageResult#unread}) is not finished: it is
 * UNFINISHED, its rows stay staged, and a rerun reads only those images again.
 */
public final class DirectoryFinalizer {

  /** Where a row of the final file came from. */
  enum Source { EARLIER_RESULTS, CARRIED_OVER, REUSED, THIS_RUN }

  private record Row(ImageResult row, Source source) {}

  /**
   * Runs in which storage would not give an image before its READ_ERROR row is final and its
   * directory can finish: a blob refused that often (403, archive tier) is not coming back.
   */
  static final int UNREADABLE_RUNS = 3;

  private final BlobStore store;
  private final RunIdentity run;
  private final Set<ResultFormat> formats;
  private final boolean acceptUnreadable;

  public DirectoryFinalizer(BlobStore store, RunIdentity run, Set<ResultFormat> formats) {
    this(store, run, formats, false);
  }

  /** With {@code acceptUnreadable}, this run's READ_ERROR rows are final at once. */
  public DirectoryFinalizer(BlobStore store, RunIdentity run, Set<ResultFormat> formats,
      boolean acceptUnreadable) {
    this.store = store;
    this.run = run;
    this.formats = formats;
    this.acceptUnreadable = acceptUnreadable;
  }

  /**
   * Finishes the directory when its staged rows cover every listed file; empty when they do not
   * (yet), or when another worker is finishing it at the same moment.
   */
  Optional<DirectoryOutcome> finishIfComplete(DirectoryWork work) throws IOException {
    List<StagedFile> files = StagingArea.list(store, work);
    if (StagingArea.announcedRows(files) < work.fileCount()) {
      return Optional.empty();
    }
    Optional<Map<String, StagedRow>> staged = StagingArea.read(store, files);
    if (staged.isEmpty() || staged.get().size() < work.fileCount()
        || staged.get().values().stream().anyMatch(r -> r.row().unread())) {
      // Unread images: the end-of-run writer records the directory as UNFINISHED.
      return Optional.empty();
    }
    Map<String, Row> rows = new TreeMap<>();
    addStaged(rows, staged.get());
    return Optional.of(write(work, rows, Optional.empty()));
  }

  /** Finishes the directory with every row there is, {@code thisRun} last. */
  public DirectoryOutcome finish(DirectoryWork work, Iterable<ImageResult> thisRun)
      throws IOException {
    Map<String, Row> rows = new TreeMap<>();
    Optional<List<FileEntry>> earlierListing = Optional.empty();
    if (!work.reprocess()) {
      earlierListing = addEarlierResults(work, rows);
    }
    // A staged file can vanish under us only when another run finishes the directory; its
    // rows are then in the results just merged, so read again what is left.
    for (int attempt = 0; ; attempt++) {
      Optional<Map<String, StagedRow>> staged =
          StagingArea.read(store, StagingArea.list(store, work));
      if (staged.isPresent()) {
        addStaged(rows, staged.get());
        break;
      }
      if (attempt == 3) {
        throw new IOException("the staged rows of " + work.directory() + " kept changing "
            + "while being read");
      }
      Optional<List<FileEntry>> merged = addEarlierResults(work, rows);
      earlierListing = merged.isPresent() ? merged : earlierListing;
    }
    List<ImageResult> fresh = new ArrayList<>();
    for (ImageResult r : thisRun) {
      rows.put(r.image(), new Row(r, Source.THIS_RUN));
      fresh.add(r);
    }
    List<ImageResult> unread = rows.values().stream().map(Row::row)
        .filter(ImageResult::unread).toList();
    if (acceptUnreadable) {
      unread = List.of();
    } else if (!unread.isEmpty()) {
      Map<String, Set<String>> refusedIn = StagingArea.unreadRuns(store,
          StagingArea.list(store, work));
      unread = unread.stream().filter(r -> {
        Set<String> runs = new HashSet<>(refusedIn.getOrDefault(r.image(), Set.of()));
        runs.add(run.tag()); // this run could not read it either
        return runs.size() < UNREADABLE_RUNS;
      }).toList();
    }
    if (!unread.isEmpty()) {
      return unfinished(work, fresh, unread, rows.size());
    }
    return write(work, rows, earlierListing);
  }

  /**
   * A directory with unread images: nothing is written beside its input's results; this run's
   * rows are staged (again, where staging already holds them) so a rerun redoes only the
   * unread images.
   */
  private DirectoryOutcome unfinished(DirectoryWork work, List<ImageResult> fresh,
      List<ImageResult> unread, int rows) {
    String kept = "rows kept staged for the next run";
    if (!fresh.isEmpty()) {
      try {
        StagingArea.write(store, work, run.tag(), "finisher", 0, fresh);
      } catch (IOException e) {
        kept = "this run's rows could not be staged (" + e.getMessage() + "), a rerun redoes them";
      }
    }
    ImageResult first = unread.get(0);
    return DirectoryOutcome.unfinished(work.directory().uri(), work.output().uri(),
        unread.size() + " of " + rows + " images could not be read (first: " + first.image()
            + ": " + first.error() + "); " + kept + "; an image no run could read in "
            + UNREADABLE_RUNS + " runs, or any with --acceptUnreadable, becomes a final"
            + " READ_ERROR row");
  }

  /** The outcome this run recorded when it finished the directory, if it did. */
  public Optional<DirectoryOutcome> finishedByThisRun(DirectoryWork work) throws IOException {
    Optional<byte[]> bytes = store.readIfExists(work.summaryFile());
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    DirectorySummary.ThisRun r = DirectorySummary.read(bytes.get()).run();
    if (r == null || !run.runId().equals(r.id())) {
      return Optional.empty();
    }
    return Optional.of(new DirectoryOutcome(work.directory().uri(), work.output().uri(),
        DirectoryOutcome.State.DONE, r.images(), r.recognized(), r.failed(), r.skippedFiles(),
        r.millis(), "", r.reused(), r.withWarnings(), new TreeMap<>(r.warningsByCode()),
        r.reviewDigest()));
  }

  /**
   * Adds the rows of the directory's results when they were written for this very listing (by
   * another run finishing it at the same time); results of another listing may hold rows of
   * files since removed or changed, and a rewrite has staged the rows it keeps of them. Returns
   * the listing those results recorded, if they did.
   */
  private Optional<List<FileEntry>> addEarlierResults(DirectoryWork work, Map<String, Row> rows)
      throws IOException {
    Optional<byte[]> summaryBytes = store.readIfExists(work.summaryFile());
    if (summaryBytes.isEmpty()) {
      return Optional.empty();
    }
    DirectorySummary summary = DirectorySummary.read(summaryBytes.get());
    if (!work.listingFingerprint().equals(summary.listingFingerprint())) {
      return Optional.empty();
    }
    Optional<byte[]> results = store.readIfExists(work.resultsFile());
    if (results.isPresent()) {
      for (ImageResult r : ResultJson.readRows(
          new String(results.get(), StandardCharsets.UTF_8))) {
        rows.putIfAbsent(r.image(), new Row(r, Source.EARLIER_RESULTS));
      }
    }
    String dir = work.directory().uri();
    for (DirectorySummary.SkippedFile f : summary.skippedFiles()) {
      rows.putIfAbsent(f.name(), new Row(ImageResult.skipped(dir, f.name(), f.reason()),
          Source.EARLIER_RESULTS));
    }
    return summary.listedFiles() != null
        ? Optional.of(ListedFiles.fromJson(summary.listedFiles(), work.directory()))
        : Optional.empty();
  }

  private void addStaged(Map<String, Row> rows, Map<String, StagedRow> staged) {
    String tag = run.tag();
    staged.forEach((name, s) -> rows.put(name, new Row(s.row(),
        s.runTag().equals(tag) ? Source.THIS_RUN
            : s.runTag().equals(StagingArea.PREVIOUS) ? Source.CARRIED_OVER : Source.REUSED)));
  }

  /**
   * Writes the directory's files from {@code all}; summary.json records the listing staged for
   * the rows, or else {@code earlierListing} (results of the same listing merged).
   */
  private DirectoryOutcome write(DirectoryWork work, Map<String, Row> all,
      Optional<List<FileEntry>> earlierListing) throws IOException {
    Optional<List<FileEntry>> staged = StagingArea.readListing(store, work);
    List<FileEntry> listing = staged.orElse(earlierListing.orElse(null));
    List<ImageResult> rows = new ArrayList<>();
    List<ImageResult> skipped = new ArrayList<>();
    int images = 0;
    int recognized = 0;
    int skippedNow = 0;
    int reused = 0;
    long millis = 0;
    Map<String, Integer> warningsNow = new TreeMap<>();
    int withWarningsNow = 0;
    for (Row r : all.values()) {
      boolean isSkipped = r.row().status() == ImageResult.Status.SKIPPED;
      (isSkipped ? skipped : rows).add(r.row());
      if (r.source() == Source.THIS_RUN) {
        if (isSkipped) {
          skippedNow++;
        } else {
          images++;
          recognized += r.row().status() == ImageResult.Status.RECOGNIZED ? 1 : 0;
          millis += r.row().durationMillis();
          withWarningsNow += r.row().warnings().isEmpty() ? 0 : 1;
          r.row().warnings().forEach(w -> warningsNow.merge(w, 1, Integer::sum));
        }
      } else if (r.source() == Source.REUSED && !isSkipped) {
        reused++;
      }
    }
    DirectoryOutcome outcome = new DirectoryOutcome(work.directory().uri(), work.output().uri(),
        DirectoryOutcome.State.DONE, images, recognized, images - recognized, skippedNow, millis,
        "", reused, withWarningsNow, warningsNow, digest(all.values()));
    StringBuilder jsonl = new StringBuilder();
    for (ImageResult r : rows) {
      jsonl.append(ResultJson.toLine(r)).append('\n');
    }
    // No moment where an old "done" marker stands beside new rows.
    store.deleteIfExists(work.summaryFile());
    store.writeAtomically(work.resultsFile(), jsonl.toString().getBytes(StandardCharsets.UTF_8));
    writeOtherFormats(work, rows);
    if (listing != null) {
      // Before summary.json: a finished directory always has the marker of its listing.
      store.writeAtomically(work.listingMarker(), new byte[0]);
    }
    store.writeAtomically(work.summaryFile(), summary(work, rows, skipped, outcome, listing));
    store.deleteAll(work.stagingRoot());
    return outcome;
  }

  /** What the run report shows of this run's rows of the directory. */
  private static ReviewDigest digest(Iterable<Row> all) {
    ReviewDigest.Builder digest = new ReviewDigest.Builder();
    for (Row r : all) {
      ImageResult row = r.row();
      if (r.source() != Source.THIS_RUN || row.status() == ImageResult.Status.SKIPPED) {
        continue;
      }
      if (row.status() == ImageResult.Status.FAILED) {
        digest.failed(row.errorKind(), row.finishedAt());
      } else {
        // The report shows the recommended reading: the one the row's trust speaks of.
        String answer = row.bestSmiles().isEmpty() ? row.smiles() : row.bestSmiles();
        digest.recognized(new ReviewedRow(row.image(), answer, row.meanConfidence(),
            row.trust(), row.warnings()), row.finishedAt());
      }
    }
    return digest.build();
  }

  /**
   * The --formats beside results.jsonl, before summary.json; when a finished directory is
   * rewritten, a format not asked for this time is removed, so no file of an earlier run stands
   * beside rows it does not match.
   */
  private void writeOtherFormats(DirectoryWork work, List<ImageResult> rows) throws IOException {
    for (ResultFormat format : ResultFormat.values()) {
      Location file = work.output().resolve(format.fileName());
      switch (format) {
        case JSONL -> { } // written above: reruns read it back
        case REVIEW -> writeReview(work, rows);
        case CSV, SDF -> {
          if (!formats.contains(format)) {
            // Only a directory finished before (a retry or reprocessing run) can hold one;
            // a first finish does not pay a delete call per format.
            if (work.rewritesFinished()) {
              store.deleteIfExists(file);
            }
          } else {
            String text = format == ResultFormat.CSV ? ResultCsv.write(rows)
                : ResultSdf.write(rows);
            store.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
  }

  /**
   * review.html and its picture chunks; chunks first, so the page never stands without them.
   * Chunks of an earlier, longer page are removed when a directory is rewritten.
   */
  private void writeReview(DirectoryWork work, List<ImageResult> rows) throws IOException {
    Location folder = work.output().resolve(ReviewPage.CHUNK_FOLDER + "/");
    if (work.rewritesFinished()) {
      store.deleteIfExists(work.output().resolve(ReviewPage.FILE));
      store.deleteAll(folder);
    }
    if (!formats.contains(ResultFormat.REVIEW)) {
      return;
    }
    List<ReviewEntry> entries = rows.stream().map(DirectoryFinalizer::reviewEntry).toList();
    Map<String, byte[]> files =
        ReviewPage.render(work.directory().uri(), entries, new StructureDepiction());
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      store.writeAtomically(work.output().resolve(f.getKey()), f.getValue());
    }
  }

  private static ReviewEntry reviewEntry(ImageResult r) {
    return new ReviewEntry(r.image(), r.status().name(), r.smiles(), r.meanConfidence(),
        r.minConfidence(), r.warnings(), r.trust(), r.errorKind(), r.error(), r.agreement(),
        r.secondSmiles(), r.bestSmiles(), r.chosenFrom(), List.of(), r.thumbnail());
  }

  private byte[] summary(DirectoryWork work, List<ImageResult> rows, List<ImageResult> skipped,
      DirectoryOutcome thisRun, List<FileEntry> listing) throws IOException {
    Map<String, Integer> byKind = new TreeMap<>();
    int recognized = 0;
    int valid = 0;
    int truncated = 0;
    double confidenceSum = 0;
    long totalMillis = 0;
    long maxMillis = 0;
    String modelId = "";
    Map<String, Integer> warnings = new TreeMap<>();
    int withWarnings = 0;
    for (ImageResult r : rows) {
      withWarnings += r.warnings().isEmpty() ? 0 : 1;
      r.warnings().forEach(w -> warnings.merge(w, 1, Integer::sum));
      if (r.status() == ImageResult.Status.FAILED) {
        byKind.merge(r.errorKind(), 1, Integer::sum);
      } else {
        recognized++;
        valid += r.valid() ? 1 : 0;
        truncated += r.truncated() ? 1 : 0;
        confidenceSum += r.meanConfidence();
      }
      totalMillis += r.durationMillis();
      maxMillis = Math.max(maxMillis, r.durationMillis());
      modelId = r.modelId().isEmpty() ? modelId : r.modelId();
    }
    List<DirectorySummary.SkippedFile> skippedFiles = skipped.stream()
        .map(r -> new DirectorySummary.SkippedFile(r.image(), r.error())).toList();
    DirectorySummary.Changes changes = work.changes().any()
        ? new DirectorySummary.Changes(work.changes().added(), work.changes().changed(),
            work.changes().removed())
        : null;
    DirectorySummary.ThisRun byThisRun = new DirectorySummary.ThisRun(run.runId(), run.model(),
        thisRun.images(), thisRun.recognized(), thisRun.failed(), thisRun.skippedFiles(),
        thisRun.reused(), thisRun.recognitionMillis(), thisRun.withWarnings(),
        thisRun.sortedWarnings(), DirectorySummary.reviewJson(thisRun.review()));
    return new DirectorySummary(work.directory().uri(), work.output().uri(), modelId,
        rows.size(), recognized, rows.size() - recognized, valid, truncated,
        recognized == 0 ? 0.0 : confidenceSum / recognized, byKind, withWarnings, warnings,
        skippedFiles, new DirectorySummary.Timings(totalMillis,
            rows.isEmpty() ? 0 : totalMillis / rows.size(), maxMillis),
        work.retryFailedOnly(), work.listingFingerprint(), changes, byThisRun,
        Instant.now().toString(), listing == null ? null : ListedFiles.toJson(listing))
        .toJson();
  }
}
