package decimerbeam.transforms;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import decimerbeam.inference.ImageFormat;
import decimerbeam.report.DirectorySummary;
import decimerbeam.results.DirectoryFinalizer;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.results.ImageResult;
import decimerbeam.results.ReservedNames;
import decimerbeam.results.ResultFormat;
import decimerbeam.results.ResultJson;
import decimerbeam.results.StagingArea;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.DirectoryWalker;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.InputRoots;
import decimerbeam.storage.Location;
import decimerbeam.storage.SafeNames;
import decimerbeam.storage.Stores;
import decimerbeam.work.DirectoryListing;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.ImageRef;
import decimerbeam.work.KeyPlacement;
import decimerbeam.work.ListedFiles;
import decimerbeam.work.ListingChanges;
import decimerbeam.work.RunIdentity;
import decimerbeam.work.SpreadKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input directories (URIs or globs) → every image file in them, spread over the workers.
 * Discovery walks the directory tree with hierarchical listings, one per directory and several
 * in flight, and drops directories a previous run finished; each remaining directory travels to
 * a worker with the files its listing found, and the worker fans them out into image refs.
 * Outputs {@link #files()} and {@link #outcomes()} (directories skipped or unlistable).
 */
@AutoValue
public abstract class ExpandDirectories extends PTransform<PBegin, PCollectionTuple> {

  private static final Logger LOG = LoggerFactory.getLogger(ExpandDirectories.class);
  static final TupleTag<DirectoryListing> WORK = new TupleTag<>() {};
  private static final TupleTag<ImageRef> FILES = new TupleTag<>() {};
  private static final TupleTag<KV<Long, ImageRef>> KEYED_FILES = new TupleTag<>() {};
  private static final TupleTag<DirectoryOutcome> OUTCOMES = new TupleTag<>() {};

  public static final int DEFAULT_LISTING_PARALLELISM = 16;

  abstract List<String> inputs();

  abstract Location outputRoot();

  abstract AzureAccess storage();

  abstract boolean reprocess();

  abstract boolean retryFailures();

  abstract int listingParallelism();

  abstract RunIdentity run();

  abstract Set<ResultFormat> formats();

  /** Workers the images are spread over; 0 with no placement (32 keys a directory). */
  abstract int workers();

  abstract @Nullable KeyPlacement placement();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setInputs(List<String> inputs);

    abstract Builder setOutputRoot(Location root);

    abstract Builder setStorage(AzureAccess access);

    abstract Builder setReprocess(boolean on);

    abstract Builder setRetryFailures(boolean on);

    abstract Builder setListingParallelism(int n);

    abstract Builder setRun(RunIdentity run);

    abstract Builder setFormats(Set<ResultFormat> formats);

    abstract Builder setWorkers(int n);

    abstract Builder setPlacement(@Nullable KeyPlacement placement);

    abstract ExpandDirectories autoBuild();

    /** Settings that exclude each other are refused when the transform is complete. */
    ExpandDirectories build() {
      ExpandDirectories t = autoBuild();
      checkArgument(!(t.reprocess() && t.retryFailures()),
          "reprocess and retryFailures exclude each other");
      return t;
    }
  }

  /**
   * Expands these inputs; directories whose results exist under {@code outputRoot} are skipped
   * (see {@link #withReprocess} and {@link #withRetryFailures}), and the output tree is never
   * taken for input.
   */
  public static ExpandDirectories of(List<String> inputs, Location outputRoot) {
    checkArgument(!inputs.isEmpty(), "no input directories given");
    return new AutoValue_ExpandDirectories.Builder().setInputs(List.copyOf(inputs))
        .setOutputRoot(outputRoot).setStorage(AzureAccess.none()).setReprocess(false)
        .setRetryFailures(false).setListingParallelism(DEFAULT_LISTING_PARALLELISM)
        .setRun(RunIdentity.start("unspecified")).setFormats(EnumSet.of(ResultFormat.JSONL))
        .setWorkers(0).setPlacement(null).build();
  }

  /** How to list and read inputs and outputs kept in Azure Blob Storage. */
  public ExpandDirectories withStorage(AzureAccess access) {
    return toBuilder().setStorage(access).build();
  }

  /** Processes directories again even if their summary.json exists. */
  public ExpandDirectories withReprocess(boolean on) {
    return toBuilder().setReprocess(on).build();
  }

  /** For finished directories, emits only the images that failed in their results. */
  public ExpandDirectories withRetryFailures(boolean on) {
    return toBuilder().setRetryFailures(on).build();
  }

  /** Directory listings in flight at once during discovery. */
  public ExpandDirectories withListingParallelism(int n) {
    checkArgument(n >= 1, "listing parallelism must be >= 1, got %s", n);
    return toBuilder().setListingParallelism(n).build();
  }

  /**
   * The run and model: rows an interrupted run of the same model staged for an unchanged
   * directory are reused, and only the images without one are emitted. The stager and the
   * writer must be given the same identity.
   */
  public ExpandDirectories withRun(RunIdentity identity) {
    return toBuilder().setRun(identity).build();
  }

  /** The files a directory it finishes gets besides results.jsonl; as the writer is given. */
  public ExpandDirectories withFormats(Set<ResultFormat> result) {
    return toBuilder().setFormats(EnumSet.copyOf(result)).build();
  }

  /**
   * The job's parallel workers (on Flink, its parallelism: one task slot, one image in flight
   * each) and where the runner's shuffle sends a key: each directory's images are dealt over
   * keys that reach every worker ({@link SpreadKey}). Without it, over 32 keys per directory.
   */
  public ExpandDirectories withWorkers(int n, KeyPlacement keyPlacement) {
    checkArgument(n >= 1, "workers must be >= 1, got %s", n);
    return toBuilder().setWorkers(n)
        .setPlacement(Objects.requireNonNull(keyPlacement, "keyPlacement")).build();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("inputs", String.join(",", inputs())))
        .add(DisplayData.item("outputRoot", outputRoot().uri()))
        .add(DisplayData.item("reprocess", reprocess()))
        .add(DisplayData.item("retryFailures", retryFailures()))
        .add(DisplayData.item("listingParallelism", listingParallelism()))
        .add(DisplayData.item("runId", run().runId()))
        .add(DisplayData.item("spreadWorkers", workers()));
  }

  public static TupleTag<ImageRef> files() {
    return FILES;
  }

  public static TupleTag<DirectoryOutcome> outcomes() {
    return OUTCOMES;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    // Checked here, on the launcher, before any work starts: inputs that match nothing, that
    // overlap the output, or whose directories would share an output folder are refused.
    List<KV<String, String>> roots = new ArrayList<>();
    try {
      for (InputRoots.Root r : InputRoots.plan(inputs(), outputRoot(), storage(),
          listingParallelism())) {
        roots.add(KV.of(r.directory().uri(), r.key()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the inputs " + inputs(), e);
    }
    PCollectionTuple discovered = begin
        .apply("Input directories", Create.of(roots)
            .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("Discover directories", ParDo.of(new DiscoverFn(this))
            .withOutputTags(WORK, TupleTagList.of(OUTCOMES)));
    discovered.get(WORK).setCoder(RecordCoder.of(DirectoryListing.class));
    discovered.get(OUTCOMES).setCoder(RecordCoder.of(DirectoryOutcome.class));

    PCollectionTuple listed = discovered.get(WORK)
        .apply("Spread directories", Reshuffle.viaRandomKey())
        .apply("Fan out files",
            ParDo.of(new FanOutFn(this))
            .withOutputTags(KEYED_FILES, TupleTagList.of(OUTCOMES)));
    listed.get(OUTCOMES).setCoder(RecordCoder.of(DirectoryOutcome.class));
    PCollection<ImageRef> files = listed.get(KEYED_FILES)
        .setCoder(KvCoder.of(BigEndianLongCoder.of(), RecordCoder.of(ImageRef.class)))
        .apply("Spread images", Reshuffle.of())
        .apply("Drop spread keys", Values.create());

    PCollection<DirectoryOutcome> outcomes = PCollectionList
        .of(discovered.get(OUTCOMES)).and(listed.get(OUTCOMES))
        .apply("Expansion outcomes", Flatten.pCollections());
    return PCollectionTuple.of(FILES, files).and(OUTCOMES, outcomes);
  }

  /**
   * Input directory and its output key → directories that hold files, with their files, minus
   * those already finished. A directory whose name cannot be written under the output, or is
   * one the pipeline keeps its own files under ({@link ReservedNames}), is a FAILED outcome,
   * never written.
   */
  static final class DiscoverFn extends DoFn<KV<String, String>, DirectoryListing> {
    private final ExpandDirectories spec;
    private final Counter found = Metrics.counter("decimer", "directories_found");
    private final Counter alreadyDone = Metrics.counter("decimer", "directories_already_done");
    private final Counter unsafe = Metrics.counter("decimer", "directories_unsafe_name");
    private final Counter reservedName = Metrics.counter("decimer", "directories_reserved_name");
    private final Counter reopened = Metrics.counter("decimer", "directories_reopened");

    DiscoverFn(ExpandDirectories spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, String> input, MultiOutputReceiver out)
        throws IOException {
      Location root = new Location(input.getKey());
      Optional<String> reservedRoot = ReservedNames.keyProblem(input.getValue());
      if (reservedRoot.isPresent()) {
        refuse(root, reservedRoot.get(), out);
        return;
      }
      BlobStore store = Stores.forLocation(root, spec.storage());
      DirectoryWalker walker = new DirectoryWalker(store, spec.listingParallelism());
      BlobStore outputStore = Stores.forLocation(spec.outputRoot(), spec.storage());
      long dirs = walker.walk(root, spec.outputRoot(), new DirectoryWalker.ListingSink() {
        @Override
        public void accept(DirectoryWalker.Listing listing) throws IOException {
          emit(root, input.getValue(), listing, outputStore, out);
        }

        @Override
        public void unlistable(Location directory, IOException failure) {
          DiscoverFn.this.unlistable(root, input.getValue(), directory, failure, out);
        }

        @Override
        public boolean enter(Location subdirectory) {
          Optional<String> reserved = ReservedNames.problem(subdirectory.name());
          reserved.ifPresent(p -> refuse(subdirectory, p, out));
          return reserved.isEmpty();
        }
      });
      LOG.info("Found {} directories with files under {}", dirs, root);
    }

    /**
     * A directory named like the pipeline's own files: FAILED, with nothing read below it nor
     * written for it, so its rows can never land among its parent's.
     */
    private void refuse(Location dir, String reason, MultiOutputReceiver out) {
      reservedName.inc();
      LOG.warn("Not processing {}: {}", dir, reason);
      out.get(OUTCOMES).output(DirectoryOutcome.failed(dir.uri(), spec.outputRoot().uri(), reason));
    }

    /** A directory storage would not list: FAILED, with what lies below it not looked at. */
    private void unlistable(Location root, String rootKey, Location dir, IOException e,
        MultiOutputReceiver out) {
      LOG.warn("Could not list {}: {}", dir, e.getMessage());
      out.get(OUTCOMES).output(DirectoryOutcome.failed(dir.uri(),
          outputFor(root, rootKey, dir).uri(),
          "could not be listed, nor anything below it: " + e.getMessage()));
    }

    private Location outputFor(Location root, String rootKey, Location dir) {
      if (!dir.uri().startsWith(root.uri())) {
        return spec.outputRoot();
      }
      String key = key(root, rootKey, dir);
      return SafeNames.relativeProblem(spec.outputRoot(), key).isPresent() ? spec.outputRoot()
          : spec.outputRoot().resolve(key + "/");
    }

    /** The directory's output key: its input root's key and its path below that root. */
    private static String key(Location root, String rootKey, Location dir) {
      String rel = root.relativize(dir);
      return rootKey + (rel.isEmpty() ? "" : "/" + rel.substring(0, rel.length() - 1));
    }

    private void emit(Location root, String rootKey, DirectoryWalker.Listing listing,
        BlobStore outputStore, MultiOutputReceiver out) throws IOException {
      Location dir = listing.directory();
      String key = key(root, rootKey, dir);
      Optional<String> problem = SafeNames.relativeProblem(spec.outputRoot(), key);
      if (problem.isPresent()) {
        unsafe.inc();
        LOG.warn("Not processing {}: its output folder cannot be written ({})", dir,
            problem.get());
        out.get(OUTCOMES).output(DirectoryOutcome.failed(dir.uri(), spec.outputRoot().uri(),
            "unsafe directory name: " + problem.get()));
        return;
      }
      String fingerprint = DirectoryWork.fingerprint(listing.files());
      DirectoryWork work = new DirectoryWork(dir, spec.outputRoot().resolve(key + "/"), key, false,
          spec.reprocess(), listing.files().size(), fingerprint,
          spec.run().stagingKey(fingerprint, spec.reprocess()));
      found.inc();
      OutputFolder folder;
      try {
        folder = OutputFolder.of(outputStore, work);
      } catch (IOException e) {
        LOG.warn("Could not list the output folder of {}: {}", dir, e.getMessage());
        out.get(OUTCOMES).output(DirectoryOutcome.failed(dir.uri(), work.output().uri(),
            "its output folder could not be listed: " + e.getMessage()));
        return;
      }
      if (spec.reprocess()) {
        // Its own staging key: only rows an interrupted reprocessing run staged are reused.
        out.get(WORK).output(new DirectoryListing(work, listing.files(), folder.hasStaging(),
            false, folder.markers()));
      } else if (folder.finished() && spec.retryFailures()) {
        out.get(WORK).output(new DirectoryListing(new DirectoryWork(dir, work.output(), key,
            true, false, work.fileCount(), fingerprint, work.stagingKey()), listing.files(),
            folder.hasStaging(), false, folder.markers()));
      } else if (folder.finished() && folder.unchangedSince(fingerprint)) {
        if (folder.hasStaging()) {
          removeLeftovers(outputStore, work);
        }
        alreadyDone.inc();
        out.get(OUTCOMES).output(DirectoryOutcome.alreadyDone(dir.uri(), work.output().uri()));
      } else if (folder.finished()) {
        reopened.inc();
        LOG.info("{} changed since it was finished: its new and changed files are recognised",
            dir);
        out.get(WORK).output(new DirectoryListing(work, listing.files(), folder.hasStaging(),
            true, folder.markers()));
      } else {
        out.get(WORK).output(new DirectoryListing(work, listing.files(), folder.hasStaging(),
            false, folder.markers()));
      }
    }

    /**
     * Rows left beside a finished directory by a crash after its summary was written are
     * removed; those an interrupted {@code --reprocess} run staged over the same files are
     * kept for the same command to go on from.
     */
    private void removeLeftovers(BlobStore store, DirectoryWork work) throws IOException {
      Location reprocessing = work.stagingRoot()
          .resolve(spec.run().stagingKey(work.listingFingerprint(), true) + "/");
      List<Location> folders;
      try {
        folders = store.listLevel(work.stagingRoot()).subdirectories();
      } catch (NoSuchFileException gone) {
        return;
      }
      if (!folders.contains(reprocessing)) {
        store.deleteAll(work.stagingRoot());
        return;
      }
      for (Location f : folders) {
        if (!f.equals(reprocessing)) {
          store.deleteAll(f);
        }
      }
      LOG.warn("Kept the rows an interrupted --reprocess run staged for {}: rerun with "
          + "--reprocess to go on from them", work.directory());
    }
  }

  /**
   * What one listing of a directory's output folder shows: whether its summary.json exists
   * (it is finished), whether a {@code _staging/} folder is there, and the listing markers.
   */
  record OutputFolder(boolean finished, boolean hasStaging, List<String> markers) {

    static OutputFolder of(BlobStore store, DirectoryWork work) throws IOException {
      BlobStore.Level level;
      try {
        level = store.listLevel(work.output());
      } catch (NoSuchFileException absent) {
        return new OutputFolder(false, false, List.of());
      }
      List<String> markers = new ArrayList<>();
      for (FileEntry f : level.files()) {
        if (f.name().startsWith(DirectoryWork.LISTING_MARKER)) {
          markers.add(f.name());
        }
      }
      return new OutputFolder(
          level.files().stream().anyMatch(f -> f.name().equals(DirectoryWork.SUMMARY)),
          level.subdirectories().contains(work.stagingRoot()), markers);
    }

    /**
     * Whether its summary.json was written for the listing {@code fingerprint}: its one
     * marker is that listing's. A summary without any marker was written before markers
     * existed and is taken as it is.
     */
    boolean unchangedSince(String fingerprint) {
      return markers.isEmpty() || markers.equals(List.of(DirectoryWork.markerName(fingerprint)));
    }
  }

  /**
   * Directory → one ref per file that has no durable row yet: files whose rows an interrupted
   * run staged are not emitted again (image-level resume), and on a retry only failed images
   * and files without a row are. A directory with nothing left to do is finished here.
   */
  static final class FanOutFn extends DoFn<DirectoryListing, KV<Long, ImageRef>> {
    private final ExpandDirectories spec;
    private final Counter listed = Metrics.counter("decimer", "images_listed");
    private final Counter resumed = Metrics.counter("decimer", "images_resumed");
    private final Counter finished = Metrics.counter("decimer", "directories_finished");

    FanOutFn(ExpandDirectories spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element DirectoryListing listing, MultiOutputReceiver out) {
      DirectoryWork work = listing.work();
      try {
        BlobStore outStore = Stores.forLocation(work.output(), spec.storage());
        Set<String> names = new HashSet<>();
        listing.files().forEach(f -> names.add(f.name()));
        boolean rewrite = work.retryFailedOnly() || listing.reopened();
        Kept kept = rewrite ? earlierRowsToKeep(outStore, work, listing.files())
            : new Kept(List.of(), ListingChanges.NONE);
        work = work.withChanges(kept.changes());
        List<ImageResult> carried = kept.rows();
        Set<String> done = new HashSet<>();
        carried.forEach(r -> done.add(r.image()));
        Set<String> staged = listing.mayHaveStagedRows() ? stagedNames(outStore, work)
            : Set.of();
        int reused = 0;
        for (String name : staged) {
          if (names.contains(name) && done.add(name)) {
            reused++;
          }
        }
        resumed.inc(reused);
        List<FileEntry> toDo = new ArrayList<>();
        for (FileEntry f : listing.files()) {
          if (!done.contains(f.name())) {
            toDo.add(f);
          }
        }
        List<String> staleMarkers = new ArrayList<>(listing.markers());
        staleMarkers.remove(DirectoryWork.markerName(work.listingFingerprint()));
        if (toDo.isEmpty() && work.retryFailedOnly() && staged.isEmpty()
            && !work.changes().any() && staleMarkers.isEmpty()) {
          out.get(OUTCOMES).output(
              DirectoryOutcome.alreadyDone(work.directory().uri(), work.output().uri()));
          return;
        }
        StagingArea.writeListing(outStore, work, listing.files());
        if (!carried.isEmpty()) {
          // The rewritten directory's staging then holds every row it will keep.
          StagingArea.write(outStore, work, StagingArea.PREVIOUS, spec.run().tag(), 0, carried);
        }
        if (!staleMarkers.isEmpty()) {
          // A summary beside another listing's marker would pass for unchanged: the directory
          // is not done until it is finished again, from the rows staged above.
          if (rewrite || work.reprocess()) {
            outStore.deleteIfExists(work.summaryFile());
          }
          for (String marker : staleMarkers) {
            outStore.deleteIfExists(work.output().resolve(marker));
          }
        }
        if (toDo.isEmpty()) {
          out.get(OUTCOMES).output(
              new DirectoryFinalizer(outStore, spec.run(), spec.formats()).finish(work, List.of()));
          finished.inc();
          return;
        }
        long[] keys = SpreadKey.forDirectory(work, toDo.size(), spec.workers(), spec.placement());
        for (int i = 0; i < toDo.size(); i++) {
          FileEntry f = toDo.get(i);
          out.get(KEYED_FILES).output(KV.of(keys[i % keys.length], new ImageRef(work, f)));
          if (ImageFormat.hasImageExtension(f.name())) {
            listed.inc();
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("Could not prepare {}: {}", work.directory(), e.getMessage(), e);
        out.get(OUTCOMES).output(DirectoryOutcome.failed(work.directory().uri(),
            work.output().uri(), String.valueOf(e.getMessage())));
      }
    }

    /** Images with a staged row, except those storage would not give us: they are redone. */
    private static Set<String> stagedNames(BlobStore store, DirectoryWork work)
        throws IOException {
      for (int attempt = 0; attempt < 3; attempt++) {
        var rows = StagingArea.read(store, StagingArea.list(store, work));
        if (rows.isPresent()) {
          Set<String> names = new HashSet<>();
          rows.get().forEach((name, staged) -> {
            if (!staged.row().unread()) {
              names.add(name);
            }
          });
          return names;
        }
      }
      return Set.of();
    }

    /** The earlier rows a rewrite keeps, and how the files changed since they were made. */
    private record Kept(List<ImageResult> rows, ListingChanges changes) {}

    /**
     * A rewrite of a finished directory keeps the earlier row of every file listed then and
     * now with the same size and version (by name alone where summary.json recorded no
     * listing), a retry except the failed ones; rows of removed files are dropped.
     */
    private static Kept earlierRowsToKeep(BlobStore store, DirectoryWork work,
        List<FileEntry> files) throws IOException {
      DirectorySummary summary = DirectorySummary.read(store.read(work.summaryFile()));
      Set<String> unchanged;
      ListingChanges changes;
      if (summary.listedFiles() != null) {
        List<FileEntry> earlier = ListedFiles.fromJson(summary.listedFiles(), work.directory());
        unchanged = ListingChanges.unchanged(earlier, files);
        changes = ListingChanges.between(earlier, files);
      } else {
        unchanged = new HashSet<>();
        files.forEach(f -> unchanged.add(f.name()));
        changes = ListingChanges.NONE;
      }
      List<ImageResult> keep = new ArrayList<>();
      String jsonl = new String(store.read(work.resultsFile()), StandardCharsets.UTF_8);
      for (ImageResult r : ResultJson.readRows(jsonl)) {
        boolean redo = work.retryFailedOnly() && r.status() == ImageResult.Status.FAILED;
        if (!redo && unchanged.contains(r.image())) {
          keep.add(r);
        }
      }
      for (DirectorySummary.SkippedFile f : summary.skippedFiles()) {
        if (unchanged.contains(f.name())) {
          keep.add(ImageResult.skipped(work.directory().uri(), f.name(), f.reason()));
        }
      }
      return new Kept(keep, changes);
    }
  }
}
