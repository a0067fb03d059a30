package decimerbeam.results;

import decimerbeam.report.ReviewPage;
import decimerbeam.report.RunReport;
import decimerbeam.report.RunSummary;
import decimerbeam.work.DirectoryWork;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The names the pipeline gives its own files and folders in the output tree: a directory's
 * results in every format, its summary.json, review.html and {@code _review/}, its
 * {@code _staging/}, its listing markers ({@code _listing-<fingerprint>}), and the run's summary
 * and report at the output root. An input directory
 * named like one of them would have its output folder land on them (its rows written into its
 * parent's staging, or wiped with its parent's review chunks), so it is refused instead. Case
 * is ignored: local file systems on macOS and Windows do not tell {@code _Staging} apart.
 */
public final class ReservedNames {

  private static final Set<String> NAMES = names();

  private ReservedNames() {}

  private static Set<String> names() {
    String staging = DirectoryWork.STAGING.substring(0, DirectoryWork.STAGING.length() - 1);
    Set<String> names = new HashSet<>();
    for (String name : List.of(DirectoryWork.RESULTS, DirectoryWork.SUMMARY, staging,
        ReviewPage.CHUNK_FOLDER, RunSummary.FILE, RunReport.FILE)) {
      names.add(fold(name));
    }
    for (ResultFormat f : ResultFormat.values()) {
      names.add(fold(f.fileName()));
    }
    return Set.copyOf(names);
  }

  /** Why a directory of this name is not processed, if it is reserved. */
  public static Optional<String> problem(String name) {
    String folded = fold(name);
    if (!NAMES.contains(folded) && !folded.startsWith(fold(DirectoryWork.LISTING_MARKER))) {
      return Optional.empty();
    }
    return Optional.of("reserved name '" + name + "': the pipeline keeps its own files under"
        + " this name; rename the folder");
  }

  /** The first reserved segment of an output key ("a/b/c"), as {@link #problem} says it. */
  public static Optional<String> keyProblem(String key) {
    for (String segment : key.split("/")) {
      Optional<String> p = problem(segment);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
