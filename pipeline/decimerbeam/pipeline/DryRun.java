package decimerbeam.pipeline;

import decimerbeam.inference.ImageFormat;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.DirectoryWalker;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.InputRoots;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code --dryRun}: the directories a run would process, each with its image count, printed by
 * the launcher with the same discovery the pipeline uses; nothing is recognised or written.
 */
final class DryRun {

  private DryRun() {}

  /** Returns the number of directories found. */
  static long print(List<String> inputs, Location outputRoot, AzureAccess access,
      int listingParallelism, PrintStream out) throws IOException {
    long directories = 0;
    for (InputRoots.Root root : InputRoots.plan(inputs, outputRoot, access,
        listingParallelism)) {
      DirectoryWalker walker = new DirectoryWalker(Stores.forLocation(root.directory(), access),
          listingParallelism);
      directories += walker.walk(root.directory(), outputRoot, listing -> {
        long images = listing.files().stream().map(FileEntry::name)
            .filter(ImageFormat::hasImageExtension).count();
        out.printf(Locale.ROOT, "%s\t%d images\t%d other files%n", listing.directory(),
            images, listing.files().size() - images);
      });
    }
    return directories;
  }
}
