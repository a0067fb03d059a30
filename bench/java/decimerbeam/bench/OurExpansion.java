package decimerbeam.bench;

import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.DecimerPipeline;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.DirectoryWalker;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import decimerbeam.transforms.ExpandDirectories;
import decimerbeam.work.DirectoryWork;
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
    AzureAccess access = DecimerPipeline.azureAccess(o);
    Location output = Location.directory(o.getOutput());
    if (args[0].equals("listing")) {
      ExpansionRun.measure("decimer-beam listing calls",
          () -> listAll(args[2], access, output, o.getListingParallelism()));
      return;
    }
    Pipeline p = Pipeline.create(o);
    var expanded = p.apply("Expand directories", ExpandDirectories.of(List.of(args[2]), output)
        .withStorage(access).withListingParallelism(o.getListingParallelism()));
    ExpansionRun.measure("decimer-beam ExpandDirectories", p,
        expanded.get(ExpandDirectories.files()));
  }

  private static long listAll(String input, AzureAccess access, Location output,
      int parallelism) throws Exception {
    Location root = Location.directory(input);
    BlobStore store = Stores.forLocation(root, access);
    BlobStore outputs = Stores.forLocation(output, access);
    long[] files = {0};
    new DirectoryWalker(store, parallelism).walk(root, output,
        listing -> {
          Location summary = output.resolve(root.relativize(listing.directory()))
              .resolve(DirectoryWork.SUMMARY);
          if (!outputs.exists(summary)) {
            files[0] += listing.files().size();
          }
        });
    return files[0];
  }
}
