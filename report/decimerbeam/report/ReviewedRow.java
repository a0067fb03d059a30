package decimerbeam.report;

import java.util.List;

/**
 * A recognised row as report.html lists it among the worst of the run.
 *
 * @param image the file name within its directory
 */
public record ReviewedRow(String image, String smiles, double meanConfidence, String trust,
    List<String> warnings) {

  public ReviewedRow {
    warnings = List.copyOf(warnings);
  }
}
