package decimerbeam.report;

/**
 * One directory as report.html lists it.
 *
 * @param path the directory's output folder relative to the output root ("" for the root)
 * @param state {@code DONE}, {@code ALREADY_DONE} or {@code FAILED}
 * @param message why a FAILED directory failed, else empty
 */
public record ReportedDirectory(String directory, String path, String state, int images,
    int recognized, int failed, int withWarnings, String message, ReviewDigest review) {}
