package tally.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tally.testkit.failure.FailureInjector;

/**
 * An exception thrown inside the job: a trigger file that the job's failure-injection operator
 * ({@link FailureInjector}) claims and throws on, once. Nothing is repaired: Flink restarts the
 * job.
 */
final class JobExceptionFault implements Fault {
  private final ChaosTarget cluster;
  private final String jobId;
  private final Path triggerDir;

  JobExceptionFault(ChaosTarget cluster, String jobId, Path triggerDir) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.triggerDir = triggerDir;
  }

  @Override
  public FaultKind kind() {
    return FaultKind.JOB_EXCEPTION;
  }

  @Override
  public String target() {
    return "job " + jobId.substring(0, 8);
  }

  @Override
  public String note() {
    return "";
  }

  @Override
  public void inject() {
    Path trigger = triggerDir.resolve(FailureInjector.TRIGGER_FILE);
    Path temp = triggerDir.resolve(FailureInjector.TRIGGER_FILE + ".tmp");
    try {
      Files.createDirectories(triggerDir);
      Files.writeString(temp, "injected by bin/tally chaos at " + java.time.Instant.now() + "\n");
      Files.move(temp, trigger, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the failure trigger " + trigger, e);
    }
  }

  @Override
  public void repair() {
    // Flink restarts the job by itself.
  }

  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.firstFailureSince(jobId, injectedAtMillis);
  }

  @Override
  public boolean repaired() {
    return !Files.exists(triggerDir.resolve(FailureInjector.TRIGGER_FILE)); // claimed
  }
}
