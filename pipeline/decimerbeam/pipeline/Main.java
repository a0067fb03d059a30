package decimerbeam.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * The one entry point: {@code run} (the Beam pipeline, the default), {@code predict} and
 * {@code prepare-model}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    int rc = dispatch(args);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** With no arguments at all: the shipped sample images, results under target/. */
  static final String[] SAMPLE_RUN = {"--input=samples/", "--output=target/sample-results/"};

  static int dispatch(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("No options given: running on the sample images, "
          + String.join(" ", SAMPLE_RUN));
      return RunCommand.run(SAMPLE_RUN);
    }
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(Help.text());
      return 0;
    }
    if (args[0].startsWith("--")) {
      return RunCommand.run(args);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "run" -> RunCommand.run(rest);
      case "predict" -> PredictCommand.run(rest);
      case "prepare-model" -> PrepareModelCommand.run(rest);
      case "help" -> {
        System.out.println(Help.text());
        yield 0;
      }
      default -> {
        System.err.println("unknown command '" + args[0] + "'\n\n" + usage());
        yield 2;
      }
    };
  }

  static String usage() {
    return String.join("\n",
        "usage: decimer-beam [run] [--option=value ...]   run the pipeline (see README for options)",
        "       decimer-beam predict [--json] [--model=ID|DIR] IMAGE...",
        "       decimer-beam prepare-model [--model=ID] [--source=auto|pypi|zenodo|ZIP]");
  }
}
