package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real readers on real patent drawings: fifteen images from the OCSR calibration sets
 * (src/test/resources/ocsr-calibration/, with their reference molfiles), read by the real
 * DECIMER model and MolVec, then chosen between as the pipeline does. Each chosen answer must be
 * the molfile's structure; on these images DECIMER alone is wrong on several, so the choice is
 * what makes them right. Three of them are where the readers' charges and atom counts decide:
 * a sure DECIMER reading an NH as N- (USPTO C00380), MolVec reading a sulfonyl as S+ and O- with an O dropped
 * (UOB 800019073) and dropping an oxime's O (UOB 325340749).
 */
class RealDrawingsIT {

  private static final Path SETS = Path.of("src/test/resources/ocsr-calibration");
  private static MolVecOpinion molvec;

  @BeforeAll
  static void readers() {
    Structures.requireInchi();
    molvec = new MolVecOpinion();
  }

  @AfterAll
  static void close() {
    molvec.close();
  }

  record Drawing(String name, Path image, String truthKey) {}

  static List<Drawing> drawings() throws IOException {
    List<Drawing> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SETS)) {
      for (Path image : files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".tif"))
          .sorted().toList()) {
        String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path mol = Files.exists(image.resolveSibling(stem + ".mol"))
            ? image.resolveSibling(stem + ".mol") : image.resolveSibling(stem + ".MOL");
        all.add(new Drawing(SETS.relativize(image).toString(), image,
            Structures.molfileInchiKey(Files.readString(mol, StandardCharsets.ISO_8859_1))));
      }
    }
    return all;
  }

  @Test
  void theChosenAnswerIsTheDrawnStructure() throws Exception {
    List<Drawing> drawings = drawings();
    assertThat("labelled drawings in " + SETS, drawings.size(), greaterThanOrEqualTo(15));
    int decimerWrong = 0;
    Set<ChosenFrom> rules = EnumSet.noneOf(ChosenFrom.class);
    for (Drawing d : drawings) {
      assertThat(d.name() + ": its molfile has a standard InChIKey", d.truthKey(),
          not(emptyString()));
      byte[] bytes = Files.readAllBytes(d.image());
      DecimerReading decimer = DecimerReading.of(TestModel.cachedEngine().recognize(bytes));
      SecondReading second = molvec.read(bytes);
      ReaderChoice.Choice chosen = ReaderChoice.choose(decimer, Optional.of(second));
      assertThat(d.name() + " (chosen from " + chosen.from().label() + ": " + chosen.smiles()
          + "; DECIMER read " + decimer.smiles() + ", MolVec " + second.smiles() + ")",
          chosen.inchiKey(), equalTo(d.truthKey()));
      rules.add(chosen.from());
      if (!decimer.inchiKey().equals(d.truthKey())) {
        decimerWrong++;
      }
    }
    assertThat("drawings DECIMER alone reads wrong, which the choice puts right", decimerWrong,
        greaterThanOrEqualTo(4));
    assertThat("rules that decided these drawings", rules, hasItems(
        ChosenFrom.MOLVEC_DECIMER_CHARGED, ChosenFrom.DECIMER_MOLVEC_CHARGED,
        ChosenFrom.DECIMER_MOLVEC_FEWER_ATOMS));
  }
}
