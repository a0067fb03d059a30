package decimerbeam.results;

import java.util.List;

/**
 * The results.csv format: a header, then one line per row in results.jsonl's field order, each
 * field quoted when it holds a comma, a quote or a line break (RFC 4180), so that pandas and
 * spreadsheets read SMILES and file names as they are. Warnings are one field, codes joined by
 * {@code ;}.
 */
public final class ResultCsv {

  static final List<String> HEADER = List.of("directory", "image", "status", "smiles",
      "canonicalSmiles", "inchiKey", "valid", "meanConfidence", "minConfidence", "tokens",
      "truncated", "errorKind", "error", "durationMs", "modelId", "warnings", "trust",
      "secondOpinion", "secondSmiles", "secondInchiKey", "agreement", "bestSmiles",
      "chosenFrom", "finishedAt");

  private ResultCsv() {}

  public static String write(List<ImageResult> rows) {
    StringBuilder csv = new StringBuilder();
    line(csv, HEADER);
    for (ImageResult r : rows) {
      line(csv, List.of(r.directory(), r.image(), r.status().name(), r.smiles(),
          r.canonicalSmiles(), r.inchiKey(), String.valueOf(r.valid()),
          String.valueOf(r.meanConfidence()), String.valueOf(r.minConfidence()),
          String.valueOf(r.tokens()), String.valueOf(r.truncated()), r.errorKind(), r.error(),
          String.valueOf(r.durationMillis()), r.modelId(), String.join(";", r.warnings()),
          r.trust(), r.secondOpinion(), r.secondSmiles(), r.secondInchiKey(), r.agreement(),
          r.bestSmiles(), r.chosenFrom(), String.valueOf(r.finishedAt())));
    }
    return csv.toString();
  }

  private static void line(StringBuilder csv, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append(quoted(fields.get(i)));
    }
    // CRLF as RFC 4180 writes it; every reader takes it.
    csv.append("\r\n");
  }

  static String quoted(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
