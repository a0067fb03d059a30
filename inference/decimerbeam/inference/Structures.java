package decimerbeam.inference;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.function.Function;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.inchi.InChIGenerator;
import org.openscience.cdk.inchi.InChIGeneratorFactory;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IPseudoAtom;
import org.openscience.cdk.io.MDLV2000Reader;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;
import org.openscience.cdk.smiles.SmilesParser;
import io.github.dan2097.jnainchi.InchiStatus;

/**
 * What CDK makes of a SMILES string: whether it parses, its canonical SMILES and its standard
 * InChIKey, so that structures can be compared whatever SMILES text spelled them.
 */
public final class Structures {

  /** A parsed structure; {@code inchiKey} is empty when InChI could not be computed. */
  public record Identity(String canonicalSmiles, String inchiKey) {}

  private Structures() {}

  /** Empty when CDK cannot parse the SMILES (the recognition is then not a valid structure). */
  public static Optional<Identity> identify(String smiles) {
    if (smiles == null || smiles.isBlank()) {
      return Optional.empty();
    }
    try {
      // SmilesParser is not thread-safe; one per call is cheap next to recognition.
      IAtomContainer mol = new SmilesParser(SilentChemObjectBuilder.getInstance())
          .parseSmiles(smiles);
      String canonical = new SmilesGenerator(SmiFlavor.Absolute).create(mol);
      return Optional.of(new Identity(canonical, inchiKey(mol)));
    } catch (CDKException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The standard InChIKey of an MDL molfile (a reference structure, or a reader's output); empty
   * when CDK cannot read it or InChI refuses it, as for R-groups and other Markush atoms, which
   * no reading can match.
   */
  public static String molfileInchiKey(String molfile) {
    if (molfile == null || molfile.isBlank()) {
      return "";
    }
    try (MDLV2000Reader reader = new MDLV2000Reader(new StringReader(molfile))) {
      IAtomContainer mol = reader.read(SilentChemObjectBuilder.getInstance().newAtomContainer());
      if (mol == null || mol.isEmpty()) {
        return "";
      }
      for (var atom : mol.atoms()) {
        if (atom instanceof IPseudoAtom) {
          return "";
        }
      }
      return inchiKey(mol);
    } catch (CDKException | IOException | RuntimeException e) {
      return "";
    }
  }

  /** Methane's standard InChIKey: what a working InChI library computes for "C". */
  static final String METHANE_KEY = "VNWKTOKETHGBQD-UHFFFAOYSA-N";

  private static volatile boolean inchiWorks;

  /**
   * Fails at start, naming the cause, when the native InChI library cannot run on this machine;
   * without the check every row would silently get an empty InChIKey.
   */
  public static void requireInchi() {
    if (!inchiWorks) {
      requireInchi(smiles -> identify(smiles).map(Identity::inchiKey).orElse(""));
      inchiWorks = true;
    }
  }

  static void requireInchi(Function<String, String> inchiKeyOf) {
    String key = inchiKeyOf.apply("C");
    if (!METHANE_KEY.equals(key)) {
      throw new IllegalStateException("the native InChI library (jna-inchi, used through CDK) "
          + "does not work on this machine (" + System.getProperty("os.name") + " "
          + System.getProperty("os.arch") + "): InChIKeys cannot be computed (methane gave '"
          + key + "', expected " + METHANE_KEY + ")");
    }
  }

  /** The InChI library keeps global state; one call at a time per JVM. */
  private static final Object INCHI_LOCK = new Object();

  private static String inchiKey(IAtomContainer mol) {
    synchronized (INCHI_LOCK) {
      return inchiKeyUnlocked(mol);
    }
  }

  private static String inchiKeyUnlocked(IAtomContainer mol) {
    try {
      InChIGenerator gen = InChIGeneratorFactory.getInstance().getInChIGenerator(mol);
      if (gen.getStatus() == InchiStatus.ERROR) {
        return "";
      }
      return gen.getInchiKey();
    } catch (CDKException | RuntimeException | LinkageError e) {
      return "";
    }
  }

  /** Same structure: equal InChIKeys where both exist, else equal canonical SMILES. */
  public static boolean sameStructure(String smilesA, String smilesB) {
    Optional<Identity> a = identify(smilesA);
    Optional<Identity> b = identify(smilesB);
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    if (!a.get().inchiKey().isEmpty() && !b.get().inchiKey().isEmpty()) {
      return a.get().inchiKey().equals(b.get().inchiKey());
    }
    return a.get().canonicalSmiles().equals(b.get().canonicalSmiles());
  }
}
