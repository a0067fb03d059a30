package decimerbeam.transforms;

import decimerbeam.inference.ImageFormat;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.DirectoryWalker;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input directories (URIs or globs) → every image file in them, spread over the workers.
 * Discovery walks the directory tree with hierarchical listings, one per directory and several
 * in flight, and drops directories a previous run finished; each remaining directory travels to
 * a worker with the files its listing found, and the worker fans them out into image refs.
 * Outputs {@link #files()} and {@link #outcomes()} (directories skipped or unlistable).
 */
public final class ExpandDirectories extends PTransform<PBegin, PCollectionTuple> {

  private static final Logger LOG = LoggerFactory.getLogger(ExpandDirectories.class);
  static final TupleTag<DirectoryListing> WORK = new TupleTag<>() {};
  private static final TupleTag<ImageRef> FILES = new TupleTag<>() {};
  private static final TupleTag<DirectoryOutcome> OUTCOMES = new TupleTag<>() {};

  /**
   * Random keys the images are spread over: far more than any cluster's parallelism, yet few
   * enough that a runner does not track one group per image (the DirectRunner keeps a bundle
   * and its bookkeeping per key, which costs more than the listing at 10^5 images).
   */
  static final int SPREAD_KEYS = 1024;

  private final List<String> inputs;
  private final Settings settings;

  public ExpandDirectories(List<String> inputs, Settings settings) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no input directories given");
    }
    this.inputs = List.copyOf(inputs);
    this.settings = settings;
  }

  public static TupleTag<ImageRef> files() {
    return FILES;
  }

  public static TupleTag<DirectoryOutcome> outcomes() {
    return OUTCOMES;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple discovered = begin
        .apply("Input directories", Create.of(inputs).withCoder(StringUtf8Coder.of()))
        .apply("Discover directories", ParDo.of(new DiscoverFn(settings))
            .withOutputTags(WORK, TupleTagList.of(OUTCOMES)));
    discovered.get(WORK).setCoder(DirectoryListingCoder.of());
    discovered.get(OUTCOMES).setCoder(SerializableCoder.of(DirectoryOutcome.class));

    PCollectionTuple listed = discovered.get(WORK)
        .apply("Spread directories", Reshuffle.viaRandomKey())
        .apply("Fan out files", ParDo.of(new FanOutFn(settings))
            .withOutputTags(FILES, TupleTagList.of(OUTCOMES)));
    listed.get(OUTCOMES).setCoder(SerializableCoder.of(DirectoryOutcome.class));
    PCollection<ImageRef> files = listed.get(FILES)
        .setCoder(ImageRefCoder.of())
        .apply("Spread images", Reshuffle.<ImageRef>viaRandomKey().withNumBuckets(SPREAD_KEYS));

    PCollection<DirectoryOutcome> outcomes = org.apache.beam.sdk.values.PCollectionList
        .of(discovered.get(OUTCOMES)).and(listed.get(OUTCOMES))
        .apply("Expansion outcomes", org.apache.beam.sdk.transforms.Flatten.pCollections());
    return PCollectionTuple.of(FILES, files).and(OUTCOMES, outcomes);
  }

  /** Input spec → directories that hold files, with their files, minus those already finished. */
  static final class DiscoverFn extends DoFn<String, DirectoryListing> {
    private final Settings settings;
    private final Counter found = Metrics.counter("decimer", "directories_found");
    private final Counter alreadyDone = Metrics.counter("decimer", "directories_already_done");

    DiscoverFn(Settings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element String input, MultiOutputReceiver out) throws IOException {
      Location pattern = Location.directory(input);
      BlobStore store = Stores.forLocation(pattern, settings.azure());
      DirectoryWalker walker = new DirectoryWalker(store, settings.listingParallelism());
      BlobStore outputStore = Stores.forLocation(settings.outputRoot(), settings.azure());
      for (Location root : walker.expandGlob(pattern)) {
        long dirs = walker.walk(root, settings.outputRoot(),
            listing -> emit(root, listing, outputStore, out));
        LOG.info("Found {} directories with files under {}", dirs, root);
      }
    }

    private void emit(Location root, DirectoryWalker.Listing listing, BlobStore outputStore,
        MultiOutputReceiver out) throws IOException {
      Location dir = listing.directory();
      String rel = root.relativize(dir);
      String key = root.name() + (rel.isEmpty() ? "" : "/" + rel.substring(0, rel.length() - 1));
      DirectoryWork work = new DirectoryWork(dir, settings.outputRoot().resolve(key + "/"),
          key, false);
      found.inc();
      if (!settings.reprocess() && outputStore.exists(work.summaryFile())) {
        if (settings.retryFailures()) {
          out.get(WORK).output(new DirectoryListing(
              new DirectoryWork(dir, work.output(), key, true), listing.files()));
        } else {
          alreadyDone.inc();
          out.get(OUTCOMES).output(DirectoryOutcome.alreadyDone(dir.uri(), work.output().uri()));
        }
      } else {
        out.get(WORK).output(new DirectoryListing(work, listing.files()));
      }
    }
  }

  /**
   * Directory → one ref per file its listing found (only the previously failed ones on a
   * retry).
   */
  static final class FanOutFn extends DoFn<DirectoryListing, ImageRef> {
    private final Settings settings;
    private final Counter listed = Metrics.counter("decimer", "images_listed");

    FanOutFn(Settings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element DirectoryListing listing, MultiOutputReceiver out) {
      DirectoryWork work = listing.work();
      try {
        Set<String> retry = work.retryFailedOnly() ? previouslyFailed(work) : null;
        if (retry != null && retry.isEmpty()) {
          out.get(OUTCOMES).output(
              DirectoryOutcome.alreadyDone(work.directory().uri(), work.output().uri()));
          return;
        }
        for (FileEntry f : listing.files()) {
          if (retry == null || retry.contains(f.name())) {
            out.get(FILES).output(new ImageRef(work, f));
            if (ImageFormat.hasImageExtension(f.name())) {
              listed.inc();
            }
          }
        }
      } catch (IOException e) {
        LOG.warn("Could not read the earlier results of {}: {}", work.directory(),
            e.getMessage());
        out.get(OUTCOMES).output(DirectoryOutcome.failed(work.directory().uri(),
            work.output().uri(), e.getMessage()));
      }
    }

    private Set<String> previouslyFailed(DirectoryWork work) throws IOException {
      BlobStore outStore = Stores.forLocation(work.output(), settings.azure());
      Set<String> failed = new HashSet<>();
      String jsonl = new String(outStore.read(work.resultsFile()), StandardCharsets.UTF_8);
      for (ImageResult r : ResultJson.readRows(jsonl)) {
        if (r.status() == ImageResult.Status.FAILED) {
          failed.add(r.image());
        }
      }
      return failed;
    }
  }
}
