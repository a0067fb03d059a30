package decimerbeam.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A file each finished directory gets, beside its summary.json ({@code --formats}). */
public enum ResultFormat {
  /** One JSON object per row; always written, it is what reruns read back. */
  JSONL("results.jsonl"),
  /** The rows as a spreadsheet (header, RFC 4180 quoting, UTF-8). */
  CSV("results.csv"),
  /** One CDK molblock with 2D coordinates per row, its fields as properties. */
  SDF("results.sdf"),
  /**
   * A page to look through the rows: thumbnails beside drawings of what was read, with
   * picture chunks in {@code _review/} ({@link decimerbeam.report.ReviewPage}).
   */
  REVIEW("review.html");

  private final String fileName;

  ResultFormat(String fileName) {
    this.fileName = fileName;
  }

  public String fileName() {
    return fileName;
  }

  /** {@code "jsonl,csv,sdf,review"} → the formats; jsonl is always among them. */
  public static Set<ResultFormat> parse(String list) {
    Set<ResultFormat> formats = EnumSet.of(JSONL);
    for (String name : list.split(",")) {
      if (name.isBlank()) {
        continue;
      }
      try {
        formats.add(valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown result format '" + name.strip()
            + "' (--formats takes a list of jsonl, csv, sdf, review)", e);
      }
    }
    return formats;
  }
}
