package tally.cluster;

/** A stand-in cluster process for {@link ProcessControlTest}: sleeps, then exits. */
public final class Sleeper {
  private Sleeper() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(60_000);
  }
}
