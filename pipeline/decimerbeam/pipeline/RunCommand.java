package decimerbeam.pipeline;

/** The Beam pipeline entry; wired in {@link DecimerPipeline}. */
final class RunCommand {

  private RunCommand() {}

  static int run(String[] args) {
    System.err.println("the pipeline is not wired yet\n\n" + Main.usage());
    return 2;
  }
}
