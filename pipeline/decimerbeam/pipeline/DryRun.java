package decimerbeam.pipeline;

import decimerbeam.inference.ImageFormat;
import decimerbeam.results.ReservedNames;
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
import java.util.Optional;

/**
 * {@code --dryRun}: the directories a run would process, each with its image count, printed by
 * the launcher with the same discovery the pipeline uses (directories it would refuse for a
 * reserved name are named with the reason); nothing is recognised or written.
 */
final class DryRun {

  private DryRun() {}

  /** Returns the number of directories found. */
  static long print(List<String> inputs, Location outputRoot, AzureAccess access,
      int listingParallelism, PrintStream out) throws IOException {
    long directories = 0;
    for (InputRoots.Root root : InputRoots.plan(inputs, outputRoot, access,
        listingParallelism)) {
      Optional<String> reservedRoot = ReservedNames.keyProblem(root.key());
      if (reservedRoot.isPresent()) {
        refused(root.directory(), reservedRoot.get(), out);
        continue;
      }
      DirectoryWalker walker = new DirectoryWalker(Stores.forLocation(root.directory(), access),
          listingParallelism);
      directories += walker.walk(root.directory(), outputRoot, new DirectoryWalker.ListingSink() {
        @Override
        public void accept(DirectoryWalker.Listing listing) {
          long images = listing.files().stream().map(FileEntry::name)
              .filter(ImageFormat::hasImageExtension).count();
          out.printf(Locale.ROOT, "%s\t%d images\t%d other files%n", listing.directory(),
              images, listing.files().size() - images);
        }

        @Override
        public boolean enter(Location subdirectory) {
          Optional<String> reserved = ReservedNames.problem(subdirectory.name());
          reserved.ifPresent(p -> refused(subdirectory, p, out));
          return reserved.isEmpty();
        }
      });
    }
    return directories;
  }

  /** A directory the run would refuse, as the run summary will give it. */
  private static void refused(Location directory, String reason, PrintStream out) {
    out.printf(Locale.ROOT, "%s\trefused: %s%n", directory, reason);
  }
}
