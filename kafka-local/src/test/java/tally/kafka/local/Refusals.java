package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls that must fail, and the failures they raised: a test class checks at the end that none
 * quotes a secret.
 */
final class Refusals {

  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

  /** The failure of the call, unwrapped from {@link ExecutionException}. */
  Throwable of(Call call) {
    try {
      call.run();
    } catch (Throwable t) {
      Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
      failures.add(cause);
      return cause;
    }
    throw new AssertionError("the call was expected to fail but succeeded");
  }

  /**
   * How an Admin client with these settings fails to describe the cluster; it must fail within
   * seconds.
   */
  Throwable ofAdmin(Properties client) {
    long started = System.nanoTime();
    Throwable failure =
        of(
            () -> {
              try (Admin refused = SecuredClients.impatientAdmin(client)) {
                refused.describeCluster().nodes().get(60, TimeUnit.SECONDS);
              }
            });
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info("Refused in {} ms: {}", millis, failure.toString());
    assertThat(millis)
        .as("time to refusal (ms)")
        .isLessThan(SecuredClients.REFUSAL_TIMEOUT.toMillis() + 5000);
    return failure;
  }

  int count() {
    return failures.size();
  }

  /** Messages and stack traces of every failure so far. */
  String text() {
    StringBuilder text = new StringBuilder();
    synchronized (failures) {
      failures.forEach(failure -> text.append(SecuredFiles.stackTrace(failure)).append('\n'));
    }
    return text.toString();
  }
}
