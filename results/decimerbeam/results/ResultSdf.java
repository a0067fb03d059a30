package decimerbeam.results;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.io.SDFWriter;
import org.openscience.cdk.layout.StructureDiagramGenerator;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * The results.sdf format: one record per row of results.jsonl, in its order, titled with the
 * image name: the recommended structure ({@code bestSmiles}) as a CDK molblock with 2D
 * coordinates, and the properties image, status, SMILES (DECIMER's), confidence, minConfidence,
 * warnings (codes joined by {@code ;}), trust, secondSmiles, agreement, bestSmiles, chosenFrom
 * and error. A row without a structure to draw (a failure, a SMILES CDK cannot parse or lay out)
 * is an empty molblock with the same properties, so that every image keeps its record.
 */
public final class ResultSdf {

  private ResultSdf() {}

  public static String write(List<ImageResult> rows) {
    StringWriter sdf = new StringWriter();
    try (SDFWriter writer = new SDFWriter(sdf)) {
      for (ImageResult r : rows) {
        writer.write(record(r));
      }
    } catch (IOException | CDKException e) {
      throw new UncheckedIOException(new IOException("could not write results.sdf", e));
    }
    return sdf.toString();
  }

  private static IAtomContainer record(ImageResult r) {
    IAtomContainer mol = structure(r);
    mol.setTitle(r.image());
    mol.setProperty("image", r.image());
    mol.setProperty("status", r.status().name());
    mol.setProperty("SMILES", r.smiles());
    mol.setProperty("confidence", String.valueOf(r.meanConfidence()));
    mol.setProperty("minConfidence", String.valueOf(r.minConfidence()));
    mol.setProperty("warnings", String.join(";", r.warnings()));
    mol.setProperty("trust", r.trust());
    mol.setProperty("secondSmiles", r.secondSmiles());
    mol.setProperty("agreement", r.agreement());
    mol.setProperty("bestSmiles", r.bestSmiles());
    mol.setProperty("chosenFrom", r.chosenFrom());
    mol.setProperty("error", r.error());
    return mol;
  }

  private static IAtomContainer structure(ImageResult r) {
    // The recommended reading (bestSmiles) is the record's structure; rows from before the
    // field have only DECIMER's.
    String smiles = r.bestSmiles().isBlank() ? r.smiles() : r.bestSmiles();
    if (r.status() == ImageResult.Status.RECOGNIZED && !smiles.isBlank()) {
      try {
        // Parser and layout keep state; one each per row is cheap next to recognition.
        IAtomContainer mol = new SmilesParser(SilentChemObjectBuilder.getInstance())
            .parseSmiles(smiles);
        StructureDiagramGenerator layout = new StructureDiagramGenerator();
        layout.generateCoordinates(mol);
        return mol;
      } catch (CDKException | RuntimeException e) {
        // No structure to draw: the empty record still carries the row.
      }
    }
    return SilentChemObjectBuilder.getInstance().newAtomContainer();
  }
}
