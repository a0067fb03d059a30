package decimerbeam.bench;

import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.DecimerPipeline;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.DirectoryWalker;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import decimerbeam.transforms.DirectoryWork;
import decimerbeam.transforms.ExpandDirectories;
import decimerbeam.transforms.Settings;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * One side of benchmark 3: decimer-beam's own expansion of one input into image refs.
 * {@code pipeline}: the ExpandDirectories transform on the DirectRunner. {@code listing}: the
 * same storage calls without a runner (one listing per directory, --listingParallelism at a
 * time, and the resume check per directory), as the transform makes them.
 *
 * <pre>OurExpansion pipeline|listing CONNECTION_STRING INPUT OUTPUT</pre>
 */
public final class OurExpansion {

  private OurExpansion() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions o = PipelineOptionsFactory.fromArgs("--azureConnectionString=" + args[1],
        "--input=" + args[2], "--output=" + args[3]).withValidation().as(DecimerOptions.class);
    Settings settings = DecimerPipeline.settings(o);
    if (args[0].equals("listing")) {
      ExpansionRun.measure("decimer-beam listing calls", () -> listAll(args[2], settings));
      return;
    }
    Pipeline p = Pipeline.create(o);
    var expanded = p.apply("Expand directories",
        new ExpandDirectories(List.of(args[2]), settings));
    ExpansionRun.measure("decimer-beam ExpandDirectories", p,
        expanded.get(ExpandDirectories.files()));
  }

  private static long listAll(String input, Settings settings) throws Exception {
    Location root = Location.directory(input);
    BlobStore store = Stores.forLocation(root, settings.azure());
    BlobStore outputs = Stores.forLocation(settings.outputRoot(), settings.azure());
    long[] files = {0};
    new DirectoryWalker(store, settings.listingParallelism()).walk(root, settings.outputRoot(),
        listing -> {
          Location summary = settings.outputRoot().resolve(root.relativize(listing.directory()))
              .resolve(DirectoryWork.SUMMARY);
          if (!outputs.exists(summary)) {
            files[0] += listing.files().size();
          }
        });
    return files[0];
  }
}
