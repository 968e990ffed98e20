package tally.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps references to some counters of the jobs running in this JVM
 * (the bench runs them on a MiniCluster here), so the bench reads them the moment they change
 * instead of through the REST API's 10 s refresh.
 *
 * <p>Enabled by {@link #configure}; Flink finds the factory through {@code META-INF/services}.
 */
public final class InProcessCounters implements MetricReporter {

  /** Reporter name in the configuration ({@code metrics.reporter.bench.*}). */
  public static final String NAME = "bench";

  /** Records a Tally decode stage has taken in: decoded plus dead-lettered on decode. */
  static final Set<String> INPUT_COUNTERS = Set.of("decoded", "deadLetteredOnDecode");

  private static final Map<Counter, String> LIVE = new ConcurrentHashMap<>();

  static void configure(org.apache.flink.configuration.Configuration conf) {
    conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
  }

  /** Sum of the live counters with one of these names in group {@code tally}, over all subtasks. */
  static long sum(Set<String> names) {
    long total = 0;
    for (Map.Entry<Counter, String> entry : LIVE.entrySet()) {
      if (names.contains(entry.getValue())) {
        total += entry.getKey().getCount();
      }
    }
    return total;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (metric instanceof Counter counter
        && group.getScopeComponents().length > 0
        && "tally".equals(group.getScopeComponents()[group.getScopeComponents().length - 1])) {
      LIVE.put(counter, name);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    if (metric instanceof Counter counter) {
      LIVE.remove(counter);
    }
  }

  /** Flink instantiates reporters through factories. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(java.util.Properties properties) {
      return new InProcessCounters();
    }
  }
}
