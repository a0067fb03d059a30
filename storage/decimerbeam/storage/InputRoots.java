package decimerbeam.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories the inputs name, each with the output key its results go under, checked
 * before any work starts. A directory's key is its path below its input's fixed base (the part
 * before the first wildcard; for a plain directory, its parent), so
 * {@code sites/*}{@code /plates/} puts {@code sites/a/plates/} under {@code <output>/a/plates/}
 * and {@code sites/b/plates/} under {@code <output>/b/plates/}. Refused, naming the input: an
 * input that matches no directory, an input at or inside the output, and two different
 * directories that would write one output folder. A match at or inside the output is left out,
 * and so is the output's subtree where it lies inside an input.
 */
public final class InputRoots {

  private static final Logger LOG = LoggerFactory.getLogger(InputRoots.class);

  /** One directory to walk, the input that named it, and the output key of its results. */
  public record Root(String input, Location directory, String key) {}

  private InputRoots() {}

  public static List<Root> plan(List<String> inputs, Location output, AzureAccess access,
      int listingParallelism) throws IOException {
    List<Root> roots = new ArrayList<>();
    for (String input : inputs) {
      Location pattern = Location.directory(input);
      boolean glob = DirectoryWalker.isGlob(pattern);
      if (!glob && isAtOrBelow(pattern, output)) {
        throw new IllegalArgumentException("input " + input + " is at or inside the output "
            + output + ": results would be written into the input; give another --output");
      }
      Location base = DirectoryWalker.fixedBase(pattern);
      DirectoryWalker walker = new DirectoryWalker(Stores.forLocation(pattern, access),
          listingParallelism);
      int found = 0;
      for (Location dir : walker.expandGlob(pattern)) {
        if (isAtOrBelow(dir, output)) {
          LOG.info("Input {} matches {}, at or inside the output {}: left out", input, dir,
              output);
          continue;
        }
        if (isAtOrBelow(output, dir)) {
          LOG.info("The output {} lies inside input {}: it is left out of the input", output,
              dir);
        }
        String rel = base.relativize(dir);
        roots.add(new Root(input, dir, rel.substring(0, rel.length() - 1)));
        found++;
      }
      if (found == 0) {
        throw new IllegalArgumentException("input " + input + " matches no directory"
            + " (nothing is stored there" + (glob ? " for this pattern" : "")
            + "; check the spelling and the account)");
      }
    }
    refuseSharedOutputs(roots, output);
    return roots;
  }

  /**
   * Two different directories must never write one output folder: neither the same key, nor a
   * key below another root's key that is not the same directory below it.
   */
  private static void refuseSharedOutputs(List<Root> roots, Location output) {
    Map<String, Root> byKey = new HashMap<>();
    for (Root r : roots) {
      Root other = byKey.putIfAbsent(r.key(), r);
      if (other != null && !other.directory().equals(r.directory())) {
        throw collision(other, r, r.key(), output);
      }
    }
    for (Root r : roots) {
      String key = r.key();
      for (int cut = key.indexOf('/'); cut > 0; cut = key.indexOf('/', cut + 1)) {
        Root above = byKey.get(key.substring(0, cut));
        if (above != null && !above.directory().resolve(key.substring(cut + 1) + "/")
            .equals(r.directory())) {
          throw collision(above, r, key, output);
        }
      }
    }
  }

  private static IllegalArgumentException collision(Root a, Root b, String key,
      Location output) {
    String inputs = a.input().equals(b.input()) ? "input " + a.input()
        : "inputs " + a.input() + " and " + b.input();
    return new IllegalArgumentException(inputs + " would write " + a.directory() + " and "
        + b.directory() + " into one output folder, " + output.resolve(key + "/")
        + ": run them separately, with different --output roots");
  }

  private static boolean isAtOrBelow(Location dir, Location root) {
    return dir.isAzure() == root.isAzure() && dir.uri().startsWith(root.uri());
  }
}
