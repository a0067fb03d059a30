package decimerbeam.inference;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.io.MDLV2000Reader;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;

/** MDL molfiles (what MolVec writes) to SMILES, keeping the stereo its wedges draw. */
final class Molfiles {

  private Molfiles() {}

  /** Empty when CDK cannot read the molfile or it holds no atoms. */
  static Optional<String> toSmiles(String molfile) {
    if (molfile == null || molfile.isBlank()) {
      return Optional.empty();
    }
    // The reader applies the MDL valence model (implicit hydrogens) and perceives stereo from
    // the 2D coordinates and wedges, so the InChIKey sees what the drawing shows.
    try (MDLV2000Reader reader = new MDLV2000Reader(new StringReader(molfile))) {
      IAtomContainer mol = reader.read(SilentChemObjectBuilder.getInstance().newAtomContainer());
      if (mol == null || mol.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new SmilesGenerator(SmiFlavor.Absolute).create(mol));
    } catch (CDKException | IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
