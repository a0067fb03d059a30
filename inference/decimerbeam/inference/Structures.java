package decimerbeam.inference;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.function.Function;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.inchi.InChIGenerator;
import org.openscience.cdk.inchi.InChIGeneratorFactory;
import org.openscience.cdk.graph.ConnectivityChecker;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IAtomContainerSet;
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

  /**
   * What a reading is made of, for weighing two readings of one drawing against each other.
   *
   * @param heavyAtoms atoms other than hydrogen
   * @param fragments disconnected parts ({@code .})
   * @param charged whether any atom has a formal charge, those of an N-oxide's N+ and O-
   *     aside (nitro groups, N-oxides: both readers write them so)
   * @param strayCharges charges no drawn salt has: a net charge, or a part holding both signs
   */
  public record Composition(int heavyAtoms, int fragments, boolean charged,
      boolean strayCharges) {}

  private Structures() {}

  /** What to make of a parsed structure. */
  private interface Parsed<T> {
    T of(IAtomContainer mol) throws CDKException;
  }

  /** Empty for null, blank or what CDK cannot parse (or make anything of). */
  private static <T> Optional<T> parse(String smiles, Parsed<T> then) {
    if (smiles == null || smiles.isBlank()) {
      return Optional.empty();
    }
    try {
      // SmilesParser is not thread-safe; one per call is cheap next to recognition.
      return Optional.of(then.of(new SmilesParser(SilentChemObjectBuilder.getInstance())
          .parseSmiles(smiles)));
    } catch (CDKException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Empty when CDK cannot parse the SMILES (the recognition is then not a valid structure). */
  public static Optional<Identity> identify(String smiles) {
    return parse(smiles, mol -> new Identity(
        new SmilesGenerator(SmiFlavor.Absolute).create(mol), inchiKey(mol)));
  }

  /** Empty when CDK cannot parse the SMILES. */
  public static Optional<Composition> composition(String smiles) {
    return parse(smiles, Structures::composition);
  }

  private static Composition composition(IAtomContainer mol) {
    int heavy = 0;
    int net = 0;
    boolean charged = false;
    boolean bothSigns = false;
    IAtomContainerSet parts = ConnectivityChecker.partitionIntoMolecules(mol);
    for (IAtomContainer part : parts.atomContainers()) {
      boolean plus = false;
      boolean minus = false;
      for (IAtom atom : part.atoms()) {
        if (element(atom) != 1) {
          heavy++;
        }
        int charge = nitrogenOxide(part, atom) ? 0 : charge(atom);
        net += charge;
        plus |= charge > 0;
        minus |= charge < 0;
      }
      charged |= plus || minus;
      bothSigns |= plus && minus;
    }
    return new Composition(heavy, parts.getAtomContainerCount(), charged,
        net != 0 || bothSigns);
  }

  /** The atomic number; 0 for a pseudo-atom. */
  private static int element(IAtom atom) {
    return atom.getAtomicNumber() == null ? 0 : atom.getAtomicNumber();
  }

  private static int charge(IAtom atom) {
    return atom.getFormalCharge() == null ? 0 : atom.getFormalCharge();
  }

  /** An N+ bonded to an O-, or that O-: the charge-separated way nitro and N-oxides are written. */
  private static boolean nitrogenOxide(IAtomContainer part, IAtom atom) {
    int charge = charge(atom);
    int wanted = charge == 1 && element(atom) == 7 ? 8
        : charge == -1 && element(atom) == 8 ? 7 : 0;
    if (wanted == 0) {
      return false;
    }
    for (IAtom neighbour : part.getConnectedAtomsList(atom)) {
      if (element(neighbour) == wanted && charge(neighbour) == -charge) {
        return true;
      }
    }
    return false;
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
