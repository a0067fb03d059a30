package decimerbeam.inference;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.openscience.cdk.atomtype.CDKAtomTypeMatcher;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.ConnectivityChecker;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IAtomType;
import org.openscience.cdk.interfaces.IPseudoAtom;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * The checks a chemist makes on a recognised SMILES before believing it: does it parse, is it
 * whole, is the model sure of it, and does it hold chemistry a drawing of an organic structure
 * rarely shows. The thresholds come from bench/calibration.sh (BENCHMARKS.md benchmark 6); how the warnings
 * weigh in the choice between readers, from bench/real-drawings.sh (README, "Which answer to
 * believe").
 */
public final class StructureWarnings {

  /** Below this mean token confidence a row is LOW_CONFIDENCE. */
  public static final double MIN_MEAN_CONFIDENCE = 0.98;
  /** Below this lowest token confidence a row is LOW_CONFIDENCE. */
  public static final double MIN_TOKEN_CONFIDENCE = 0.50;

  /**
   * Elements drawn in organic structures, and the alkali counter-ions of their salts; any other
   * element is UNUSUAL_ELEMENT (DECIMER reads the "Ph" abbreviation as Pb).
   */
  public static final Set<String> USUAL_ELEMENTS = Set.of(
      "H", "B", "C", "N", "O", "F", "Si", "P", "S", "Cl", "Se", "Br", "I", "Li", "Na", "K");

  private StructureWarnings() {}

  /** The warnings of one recognition, in {@link Warning} order; empty when none applies. */
  public static List<Warning> check(String smiles, boolean truncated, double meanConfidence,
      double minConfidence) {
    Set<Warning> found = EnumSet.noneOf(Warning.class);
    if (truncated) {
      found.add(Warning.TRUNCATED);
    }
    if (meanConfidence < MIN_MEAN_CONFIDENCE || minConfidence < MIN_TOKEN_CONFIDENCE) {
      found.add(Warning.LOW_CONFIDENCE);
    }
    IAtomContainer mol = parse(smiles);
    if (mol == null) {
      found.add(Warning.INVALID_SMILES);
    } else {
      checkStructure(mol, found);
    }
    return List.copyOf(found);
  }

  private static IAtomContainer parse(String smiles) {
    if (smiles == null || smiles.isBlank()) {
      return null;
    }
    try {
      // SmilesParser is not thread-safe; one per call is cheap next to recognition.
      return new SmilesParser(SilentChemObjectBuilder.getInstance()).parseSmiles(smiles);
    } catch (CDKException | RuntimeException e) {
      return null;
    }
  }

  private static void checkStructure(IAtomContainer mol, Set<Warning> found) {
    CDKAtomTypeMatcher types = CDKAtomTypeMatcher.getInstance(mol.getBuilder());
    for (IAtom atom : mol.atoms()) {
      if (atom instanceof IPseudoAtom || atom.getAtomicNumber() == null
          || atom.getAtomicNumber() == 0) {
        found.add(Warning.PLACEHOLDER);
        continue;
      }
      if (!USUAL_ELEMENTS.contains(atom.getSymbol())) {
        found.add(Warning.UNUSUAL_ELEMENT);
        // CDK types few metals; an untyped one says nothing about its valence.
        continue;
      }
      if (isUntypable(types, mol, atom)) {
        found.add(Warning.VALENCE);
      }
    }
    if (mol.getAtomCount() > 1 && !ConnectivityChecker.isConnected(mol)) {
      found.add(Warning.FRAGMENTS);
    }
  }

  /** CDK's atom typer answers "X" (or nothing) for bonds and charge no real atom has. */
  private static boolean isUntypable(CDKAtomTypeMatcher types, IAtomContainer mol, IAtom atom) {
    try {
      IAtomType type = types.findMatchingAtomType(mol, atom);
      return type == null || "X".equals(type.getAtomTypeName());
    } catch (CDKException | RuntimeException e) {
      return true;
    }
  }
}
