package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tally.kafka.local.KafkaTestClients.createTopic;
import static tally.kafka.local.KafkaTestClients.readCommitted;
import static tally.kafka.local.KafkaTestClients.sendInTransaction;
import static tally.kafka.local.KafkaTestClients.transactionalProducer;
import static tally.kafka.local.KafkaTestClients.writeTransaction;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaBrokerTest {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerTest.class);

  @Test
  void readCommittedConsumerSeesExactlyTheCommittedTransactions(@TempDir Path workDir)
      throws Exception {
    try (EmbeddedKafkaBroker broker = timedStart(EmbeddedKafkaBroker.builder().workDir(workDir))) {
      String bootstrap = broker.bootstrapServers();
      createTopic(bootstrap, "payments", 2);

      writeTransaction(bootstrap, "tx-a", "payments", true, "p1", "p2", "p3");
      writeTransaction(bootstrap, "tx-a", "payments", false, "aborted-1", "aborted-2");
      writeTransaction(bootstrap, "tx-a", "payments", true, "p4");

      assertThat(readCommitted(bootstrap, "payments"))
          .containsExactlyInAnyOrder("p1", "p2", "p3", "p4");
      assertThat(broker.describe())
          .startsWith("embedded KRaft broker 4.2.2 (pid " + broker.pid() + ") at localhost:");
    }
    // A given work dir is kept, with the broker's logs in it.
    assertThat(workDir.resolve("server.properties")).exists();
    assertThat(workDir.resolve("broker.out")).exists();
    assertThat(Files.readString(workDir.resolve("broker.log"))).contains("KafkaRaftServer");
  }

  @Test
  void committedRecordsSurviveKillAndRestartAndTheInFlightTransactionIsAborted() {
    try (EmbeddedKafkaBroker broker = timedStart(EmbeddedKafkaBroker.builder())) {
      String bootstrap = broker.bootstrapServers();
      int port = broker.port();
      createTopicUnchecked(bootstrap, "ledger", 2);
      writeTransaction(bootstrap, "tx-crash", "ledger", true, "before-1", "before-2");

      // A transaction that is open, its records written, when the broker dies.
      KafkaProducer<String, String> inFlight = transactionalProducer(bootstrap, "tx-crash");
      inFlight.initTransactions();
      sendInTransaction(inFlight, "ledger", "in-flight-1", "in-flight-2");

      long crashedPid = broker.pid();
      broker.kill();
      assertThat(isAlive(crashedPid)).isFalse();
      inFlight.close(Duration.ZERO); // forced: a clean close would abort the transaction

      long restartStarted = System.nanoTime();
      broker.restart();
      LOG.info(
          "Restart after SIGKILL took {} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStarted));
      assertThat(broker.pid()).isNotEqualTo(crashedPid);
      assertThat(broker.port()).isEqualTo(port);

      assertThat(readCommitted(bootstrap, "ledger"))
          .containsExactlyInAnyOrder("before-1", "before-2");
      // Same transactional id: initTransactions() fences the crashed producer and aborts its
      // transaction.
      writeTransaction(bootstrap, "tx-crash", "ledger", true, "after-1");
      assertThat(readCommitted(bootstrap, "ledger"))
          .containsExactlyInAnyOrder("before-1", "before-2", "after-1");
    }
  }

  @Test
  void closeStopsTheBrokerProcessAndDeletesTheTempWorkDir() throws Exception {
    EmbeddedKafkaBroker broker = timedStart(EmbeddedKafkaBroker.builder());
    long pid = broker.pid();
    Path workDir = broker.workDir();
    assertThat(ProcessHandle.of(pid))
        .hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());
    assertThat(workDir).isDirectory();

    broker.close();

    assertThat(isAlive(pid)).isFalse();
    assertThat(broker.isRunning()).isFalse();
    assertThat(workDir).doesNotExist();
    FreePorts.requireFree(broker.port(), "released broker"); // throws if still bound
    broker.close(); // idempotent
    assertThatThrownBy(broker::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aTakenPortFailsFastWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("already in use");
    }
  }

  @Test
  void aBrokerThatDiesDuringStartUpIsReportedWithItsLogTail(@TempDir Path workDir) {
    // Passes config validation and formatting; the broker JVM fails when it loads the authorizer.
    EmbeddedKafkaBroker.Builder builder =
        EmbeddedKafkaBroker.builder()
            .workDir(workDir)
            .brokerProperty("authorizer.class.name", "tally.NoSuchAuthorizer");

    assertThatThrownBy(builder::start)
        .isInstanceOf(KafkaStartException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining(workDir.toString())
        .hasMessageContaining("tally.NoSuchAuthorizer");
  }

  @Test
  void restartOfARunningBrokerStopsItCleanlyFirst() {
    try (EmbeddedKafkaBroker broker = timedStart(EmbeddedKafkaBroker.builder())) {
      String bootstrap = broker.bootstrapServers();
      createTopicUnchecked(bootstrap, "restarted", 1);
      long firstPid = broker.pid();

      broker.restart();

      assertThat(isAlive(firstPid)).isFalse();
      assertThat(broker.pid()).isNotEqualTo(firstPid);
      writeTransaction(bootstrap, "tx-r", "restarted", true, "r1");
      assertThat(readCommitted(bootstrap, "restarted")).containsExactly("r1");
    }
  }

  private static EmbeddedKafkaBroker timedStart(EmbeddedKafkaBroker.Builder builder) {
    long started = System.nanoTime();
    EmbeddedKafkaBroker broker = builder.start();
    LOG.info(
        "Broker start-up measured by the test: {} ms ({})",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        broker.describe());
    return broker;
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void createTopicUnchecked(String bootstrap, String topic, int partitions) {
    try {
      createTopic(bootstrap, topic, partitions);
    } catch (Exception e) {
      throw new AssertionError("cannot create topic " + topic, e);
    }
  }
}
